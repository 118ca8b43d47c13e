package dev.rollbackbot.incident;

import dev.rollbackbot.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored timelines of incidents. */
public final class Timeline {
    private final Jdbc jdbc;

    public Timeline(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void append(TimelineEvent e) {
        jdbc.update("insert into incident_events (incident_id, at, type, actor, step_no, step_title, duration_ms, detail)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?)",
                e.incidentId(), e.at().toEpochMilli(), e.type().name(), e.actor().orElse(null), e.stepNo().orElse(null),
                e.stepTitle().orElse(null), e.duration().map(Duration::toMillis).orElse(null),
                e.detail().map(d -> d.length() > 4000 ? d.substring(0, 3999) + "…" : d).orElse(null));
    }

    public List<TimelineEvent> of(long incidentId) {
        return jdbc.query("select incident_id, at, type, actor, step_no, step_title, duration_ms, detail from incident_events"
                + " where incident_id = ? order by id", Timeline::map, incidentId);
    }

    /** The events of one type of every incident requested in {@code [from, to)}, in the order they were stored. */
    public List<TimelineEvent> ofType(EventType type, Instant from, Instant to) {
        return jdbc.query("select e.incident_id, e.at, e.type, e.actor, e.step_no, e.step_title, e.duration_ms, e.detail"
                + " from incident_events e join incidents i on i.id = e.incident_id"
                + " where e.type = ? and i.created_at >= ? and i.created_at < ? order by e.id",
                Timeline::map, type.name(), from.toEpochMilli(), to.toEpochMilli());
    }

    private static TimelineEvent map(ResultSet rs) throws SQLException {
        int step = rs.getInt("step_no");
        Optional<Integer> stepNo = rs.wasNull() ? Optional.empty() : Optional.of(step);
        long ms = rs.getLong("duration_ms");
        Optional<Duration> duration = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
        return new TimelineEvent(rs.getLong("incident_id"), Instant.ofEpochMilli(rs.getLong("at")),
                EventType.valueOf(rs.getString("type")), Optional.ofNullable(rs.getString("actor")), stepNo,
                Optional.ofNullable(rs.getString("step_title")), duration, Optional.ofNullable(rs.getString("detail")));
    }
}
