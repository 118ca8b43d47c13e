package dev.rollbackbot.kubernetes;

import dev.rollbackbot.common.UserError;

/** The Kubernetes API refused or could not be reached; the message says which call and why. */
public final class KubernetesException extends UserError {
    public KubernetesException(String message) {
        super(message);
    }
}
