package dev.rollbackbot.incident;

/**
 * The right to act on a running incident: the replica that owns it and the fencing epoch it was given. Every write
 * a run makes presents both, so once another replica has taken the incident over (and raised the epoch) the old
 * owner's writes are refused instead of overwriting the new owner's record.
 */
public record Lease(long incidentId, String owner, long epoch) {
}
