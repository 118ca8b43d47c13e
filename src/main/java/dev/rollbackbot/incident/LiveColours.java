package dev.rollbackbot.incident;

import dev.rollbackbot.store.Jdbc;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The live colour of each blue-green service, as the bot last switched or saw it. */
public final class LiveColours {
    public record Live(String service, String colour, Instant since, Optional<Long> incidentId) {
    }

    private final Jdbc jdbc;

    public LiveColours(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes that {@code service} sends its traffic to {@code colour}; keeps {@code since} when the colour did not change. */
    public void record(String service, String colour, Instant now, Long incidentId) {
        jdbc.inTransaction(() -> {
            Optional<Live> before = of(service);
            if (before.isEmpty()) {
                jdbc.update("insert into live_colours (service, colour, since, incident_id) values (?, ?, ?, ?)", service, colour,
                        now.toEpochMilli(), incidentId);
            } else if (!before.get().colour().equals(colour)) {
                jdbc.update("update live_colours set colour = ?, since = ?, incident_id = ? where service = ?", colour,
                        now.toEpochMilli(), incidentId, service);
            }
            return null;
        });
    }

    public Optional<Live> of(String service) {
        List<Live> one = jdbc.query("select service, colour, since, incident_id from live_colours where service = ?", LiveColours::live,
                service);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** Every service's live colour, by service name. */
    public List<Live> all() {
        return jdbc.query("select service, colour, since, incident_id from live_colours order by service", LiveColours::live);
    }

    private static Live live(java.sql.ResultSet rs) throws java.sql.SQLException {
        Object id = rs.getObject(4);
        return new Live(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                Optional.ofNullable(id).map(n -> ((Number) n).longValue()));
    }
}
