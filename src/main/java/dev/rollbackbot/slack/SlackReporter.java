package dev.rollbackbot.slack;

import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mirrors each incident's timeline into Slack: a reply in the card's thread per event, and the card redrawn
 * (chat.update) as its state changes. Runs off the rollback's thread, in order per incident; redraws that pile
 * up while Slack is slow collapse into one, since each redraw reads the latest state.
 */
public final class SlackReporter implements IncidentListener {
    private final SlackGateway slack;
    private final IncidentStore store;
    private final Timeline timeline;
    private final Cards cards;
    private final ThreadRenderer thread = new ThreadRenderer();
    private final OrderedExecutor queue = new OrderedExecutor(4, "slack-report");
    private final Map<Long, AtomicBoolean> redrawQueued = new ConcurrentHashMap<>();

    public SlackReporter(SlackGateway slack, IncidentStore store, Timeline timeline, Cards cards) {
        this.slack = slack;
        this.store = store;
        this.timeline = timeline;
        this.cards = cards;
    }

    /**
     * For an incident that ended while its card was being posted: its final events found no thread then, so they are
     * told now, and the card is redrawn.
     */
    public void catchUp(long id) {
        queue.submit(id, () -> {
            timeline.of(id).stream().filter(e -> e.type().isFinal()).forEach(this::reply);
            redraw(id);
        });
    }

    @Override
    public void onEvent(TimelineEvent e) {
        if (e.type() == EventType.REQUESTED || e.type() == EventType.REFUSED) {
            return;
        }
        long id = e.incidentId();
        queue.submit(id, () -> reply(e));
        AtomicBoolean queued = redrawQueued.computeIfAbsent(id, k -> new AtomicBoolean());
        if (queued.compareAndSet(false, true)) {
            queue.submit(id, () -> {
                queued.set(false);
                redraw(id);
            });
        }
        if (e.type().isFinal()) {
            redrawQueued.remove(id);
        }
    }

    private void reply(TimelineEvent e) {
        Optional<Incident> inc = posted(e.incidentId());
        if (inc.isEmpty()) {
            return;
        }
        int planSize = cards.planSize(inc.get());
        thread.reply(e, inc.get(), planSize).ifPresent(m ->
                slack.post(inc.get().channelId().orElseThrow(), m, inc.get().messageTs().orElseThrow()));
    }

    private void redraw(long id) {
        posted(id).ifPresent(inc -> slack.update(inc.channelId().orElseThrow(), inc.messageTs().orElseThrow(), cards.render(inc)));
    }

    /** The incident, if its card is in Slack (refused requests never got one). */
    private Optional<Incident> posted(long id) {
        return store.find(id).filter(i -> i.messageTs().isPresent() && i.channelId().isPresent());
    }

    public void shutdown(Duration timeout) {
        queue.shutdown(timeout);
    }
}
