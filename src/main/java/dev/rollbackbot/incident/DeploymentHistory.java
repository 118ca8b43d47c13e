package dev.rollbackbot.incident;

import dev.rollbackbot.store.Jdbc;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Which version (image or revision) each service ran, and when the bot saw it: what "previous version" reads. */
public final class DeploymentHistory {
    private final Jdbc jdbc;

    public record Deployment(String service, String version, Optional<String> pin, Instant firstSeen, Instant lastSeen) {
    }

    public DeploymentHistory(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes that {@code service} runs {@code version} now: extends the latest entry or starts a new one. */
    public void record(String service, String version, String pin, Instant now) {
        jdbc.inTransaction(() -> {
            Optional<Deployment> latest = latest(service);
            if (latest.isPresent() && latest.get().version().equals(version)) {
                jdbc.update("update deployments set last_seen = ?, pin = coalesce(?, pin) where id ="
                        + " (select max(id) from deployments where service = ?) and version = ?", now.toEpochMilli(), pin, service, version);
            } else {
                jdbc.insert("insert into deployments (service, version, pin, first_seen, last_seen) values (?, ?, ?, ?, ?)",
                        service, version, pin, now.toEpochMilli(), now.toEpochMilli());
            }
            return null;
        });
    }

    /** The version that ran before {@code current} the last time the service ran {@code current}. */
    public Optional<String> versionBefore(String service, String current) {
        return versionBefore(service, current, java.util.Set.of());
    }

    /** The same, passing over the versions in {@code skip}. */
    public Optional<String> versionBefore(String service, String current, java.util.Set<String> skip) {
        List<Deployment> all = recent(service, 200);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).version().equals(current)) {
                for (int j = i + 1; j < all.size(); j++) {
                    if (!all.get(j).version().equals(current) && !skip.contains(all.get(j).version())) {
                        return Optional.of(all.get(j).version());
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Newest first. */
    public List<Deployment> recent(String service, int limit) {
        return jdbc.query("select service, version, pin, first_seen, last_seen from deployments where service = ?"
                + " order by id desc limit ?",
                rs -> new Deployment(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))),
                service, limit);
    }

    private Optional<Deployment> latest(String service) {
        List<Deployment> one = recent(service, 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }
}
