package dev.rollbackbot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the start-up line names the database: a new user must be able to find the embedded file. */
class DatabaseTest {
    @Test
    void theDefaultEmbeddedDatabaseIsNamedByItsAbsolutePath() {
        String shown = Database.describe(Database.DEFAULT_URL);
        assertThat(shown).isEqualTo("H2 file " + Path.of("data/rollback-bot.mv.db").toAbsolutePath().normalize());
        assertThat(Path.of(shown.substring("H2 file ".length())).isAbsolute()).isTrue();
    }

    @Test
    void anAbsoluteH2FileKeepsItsPath() {
        assertThat(Database.describe("jdbc:h2:file:/srv/bot/incidents;AUTO_SERVER=TRUE")).isEqualTo("H2 file /srv/bot/incidents.mv.db");
    }

    @Test
    void otherUrlsAreShownWithoutCredentials() {
        assertThat(Database.describe("jdbc:postgresql://bot:s3cret@db:5432/bot?password=s3cret"))
                .doesNotContain("s3cret").startsWith("jdbc:postgresql://");
        assertThat(Database.describe("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void theSchemaVersionThatSkipsFlywayIsTheNewestMigration() throws Exception {
        java.util.List<String> h2 = versions("src/main/resources/db/migration", "src/main/resources/db/quartz/h2");
        java.util.List<String> postgres = versions("src/main/resources/db/migration", "src/main/resources/db/quartz/postgresql");
        assertThat(postgres).as("both vendors have the same migrations").isEqualTo(h2);
        assertThat(String.valueOf(Database.SCHEMA_VERSION)).as("Database.SCHEMA_VERSION must name the newest migration, or a"
                + " new one would be skipped on databases that have the older one").isEqualTo(h2.get(h2.size() - 1));
        assertThat(Database.MIGRATIONS).as("Database.MIGRATIONS must count the migrations").isEqualTo(h2.size());
    }

    @Test
    void aCurrentSchemaIsRecognisedAndANewDatabaseIsNot() throws Exception {
        try (var h2 = dev.rollbackbot.testing.TestDatabases.h2()) {
            var raw = new com.zaxxer.hikari.HikariDataSource();
            raw.setJdbcUrl(h2.url());
            try (raw) {
                assertThat(Database.schemaIsCurrent(raw)).as("no history table yet").isFalse();
            }
            try (Database db = Database.open(h2.url(), h2.user(), h2.password())) {
                assertThat(Database.schemaIsCurrent(db.dataSource())).isTrue();
                db.jdbc().update("delete from \"flyway_schema_history\" where \"version\" = '1'");
                assertThat(Database.schemaIsCurrent(db.dataSource())).as("an older migration missing").isFalse();
            }
        }
    }

    /** The versions of the migrations in these folders, in Flyway's order ({@code V3_1} is 3.1). */
    private static java.util.List<String> versions(String... folders) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String folder : folders) {
            try (var files = java.nio.file.Files.list(Path.of(folder))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V[\\d_]+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.')).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.comparing(v -> new java.math.BigDecimal(v)));
        return out;
    }

    @Test
    void anEmbeddedFileDatabaseWritesCommitsWithin20MsSoAKilledBotLosesNothingItSaid() {
        assertThat(Database.durable("jdbc:h2:file:/srv/bot/incidents")).isEqualTo("jdbc:h2:file:/srv/bot/incidents;WRITE_DELAY=20");
        assertThat(Database.durable(Database.DEFAULT_URL)).endsWith(";WRITE_DELAY=20");
        assertThat(Database.durable("jdbc:h2:file:/x;write_delay=100")).isEqualTo("jdbc:h2:file:/x;write_delay=100");
        assertThat(Database.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.durable("jdbc:postgresql://db/bot")).isEqualTo("jdbc:postgresql://db/bot");
    }
}
