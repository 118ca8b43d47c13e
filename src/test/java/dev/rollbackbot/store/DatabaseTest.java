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
        java.util.List<Integer> versions;
        try (var files = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).toList();
        }
        assertThat(Database.SCHEMA_VERSION).as("Database.SCHEMA_VERSION must name the newest migration, or a new one"
                + " would be skipped on databases that have the older one").isEqualTo(versions.stream().max(Integer::compare).orElseThrow());
        assertThat(Database.MIGRATIONS).as("Database.MIGRATIONS must count the migrations").isEqualTo(versions.size());
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
}
