package dev.rollbackbot.config;

/** The kinds of datastore the runbook restores. */
public enum DatastoreType {
    POSTGRES("postgres", "PostgreSQL"),
    REDIS("redis", "Redis");

    private final String word;
    private final String product;

    DatastoreType(String word, String product) {
        this.word = word;
        this.product = product;
    }

    public String word() {
        return word;
    }

    public String product() {
        return product;
    }
}
