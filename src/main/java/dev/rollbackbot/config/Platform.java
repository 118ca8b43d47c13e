package dev.rollbackbot.config;

/** Where a service runs. */
public enum Platform {
    DOCKER("docker"),
    KUBERNETES("kubernetes");

    private final String word;

    Platform(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
