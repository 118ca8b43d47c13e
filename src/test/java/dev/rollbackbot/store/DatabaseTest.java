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
}
