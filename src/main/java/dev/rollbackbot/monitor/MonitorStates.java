package dev.rollbackbot.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollbackbot.store.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The monitor's state per service in the bot's database (table {@code monitor_states}), so the replica Quartz fires a
 * check on continues the count the others left. A service's timer is one trigger; should it fire on two replicas at
 * once, {@link #claim} lets only one of them check.
 */
public final class MonitorStates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbc jdbc;

    public MonitorStates(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<MonitorState> load(String service) {
        return jdbc.queryOne("select state from monitor_states where service = ?", rs -> read(rs.getString(1)), service);
    }

    public void save(String service, MonitorState s, Instant now) {
        String text = write(s);
        if (jdbc.update("update monitor_states set state = ?, updated_at = ? where service = ?", text, now.toEpochMilli(), service) == 0) {
            try {
                jdbc.update("insert into monitor_states (service, state, updated_at) values (?, ?, ?)", service, text, now.toEpochMilli());
            } catch (RuntimeException e) { // another replica inserted it first: ours is the newer state
                jdbc.update("update monitor_states set state = ?, updated_at = ? where service = ?", text, now.toEpochMilli(), service);
            }
        }
    }

    /**
     * Claims the check of {@code service} that is due now: false when another claim was made less than {@code within}
     * ago, which only happens when one timer fired on two replicas at once (checks are an interval apart). The first
     * check of a service (no row yet) is always claimed.
     */
    public boolean claim(String service, Instant now, Duration within) {
        if (jdbc.update("update monitor_states set claimed_at = ? where service = ? and (claimed_at is null or claimed_at <= ?)",
                now.toEpochMilli(), service, now.minus(within).toEpochMilli()) == 1) {
            return true;
        }
        return jdbc.queryOne("select 1 from monitor_states where service = ?", rs -> 1, service).isEmpty();
    }

    static String write(MonitorState s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("phase", s.phase().name());
        o.put("failures", s.failures());
        s.firstFailure().ifPresent(t -> o.put("firstFailure", t.toEpochMilli()));
        o.put("startPeriodEnds", s.startPeriodEnds().toEpochMilli());
        s.instance().ifPresent(i -> o.put("instance", i));
        o.put("acted", s.acted());
        s.pausedBy().ifPresent(p -> o.put("pausedBy", p));
        s.lastCheck().ifPresent(t -> o.put("lastCheck", t.toEpochMilli()));
        o.put("lastResult", s.lastResult());
        s.note().ifPresent(n -> o.put("note", n));
        s.downtime().ifPresent(d -> {
            o.put("downIncident", d.incident());
            o.put("downSince", d.since().toEpochMilli());
        });
        return o.toString();
    }

    static MonitorState read(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            return new MonitorState(MonitorState.Phase.valueOf(o.path("phase").asText()), o.path("failures").asInt(),
                    instant(o, "firstFailure"), Instant.ofEpochMilli(o.path("startPeriodEnds").asLong()), text(o, "instance"),
                    o.path("acted").asBoolean(), o.has("pausedBy") ? Optional.of(o.get("pausedBy").asLong()) : Optional.empty(),
                    instant(o, "lastCheck"), o.path("lastResult").asText(""), text(o, "note"),
                    o.has("downIncident") ? Optional.of(new MonitorState.Downtime(o.get("downIncident").asLong(),
                            Instant.ofEpochMilli(o.get("downSince").asLong()))) : Optional.empty());
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable monitor state: " + text, e);
        }
    }

    private static Optional<Instant> instant(JsonNode o, String key) {
        return o.has(key) ? Optional.of(Instant.ofEpochMilli(o.get(key).asLong())) : Optional.empty();
    }

    private static Optional<String> text(JsonNode o, String key) {
        return o.has(key) ? Optional.of(o.get(key).asText()) : Optional.empty();
    }
}
