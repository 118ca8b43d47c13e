package dev.rollbackbot.rollback;

import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.TimelineEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one way events enter a timeline: stored first, then passed to every listener (Slack, metrics). */
public final class IncidentEvents {
    private static final Logger log = LoggerFactory.getLogger(IncidentEvents.class);

    private final Timeline timeline;
    private final List<IncidentListener> listeners = new CopyOnWriteArrayList<>();

    public IncidentEvents(Timeline timeline) {
        this.timeline = timeline;
    }

    public void addListener(IncidentListener l) {
        listeners.add(l);
    }

    public void publish(TimelineEvent e) {
        timeline.append(e);
        log.info("INC-{} {}{}{}", e.incidentId(), e.type(), e.stepTitle().map(t -> " [" + t + "]").orElse(""),
                e.detail().map(d -> ": " + d).orElse(""));
        for (IncidentListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                log.error("INC-{}: a listener failed on {}", e.incidentId(), e.type(), ex);
            }
        }
    }
}
