package dev.rollbackbot.core;

import java.util.Objects;

/**
 * Whatever proves that what runs is what was approved, opaque to everything but the procedure that made it: an image
 * id for a Docker service, a ReplicaSet's pod-template-hash for a Kubernetes one, a backup's checksum for a restore.
 */
public record Pin(String value) {
    public Pin {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a pin cannot be blank");
        }
    }

    /** The first 12 characters without a {@code sha256:} prefix, for people. */
    public String shortForm() {
        String s = value.replaceFirst("^sha256:", "");
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
