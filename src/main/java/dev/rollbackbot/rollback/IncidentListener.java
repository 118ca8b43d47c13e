package dev.rollbackbot.rollback;

import dev.rollbackbot.incident.TimelineEvent;

/** Told of every timeline event after it is stored. Must return quickly: slow work goes on its own thread. */
public interface IncidentListener {
    void onEvent(TimelineEvent event);
}
