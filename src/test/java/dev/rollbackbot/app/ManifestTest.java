package dev.rollbackbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** manifest.yml is a Slack app manifest the bot can run with: the command, interactivity and the scopes it uses. */
class ManifestTest {
    private final JsonNode manifest;

    ManifestTest() throws Exception {
        manifest = new ObjectMapper(new YAMLFactory()).readTree(Path.of("manifest.yml").toFile());
    }

    @Test
    void namesTheAppAndItsBotWithinSlacksLimits() {
        assertThat(manifest.at("/display_information/name").asText()).isNotBlank().hasSizeLessThanOrEqualTo(35);
        assertThat(manifest.at("/features/bot_user/display_name").asText()).isNotBlank().hasSizeLessThanOrEqualTo(80);
    }

    @Test
    void declaresRollbackWithDescriptionUsageAndTheEventsUrl() {
        JsonNode cmd = manifest.at("/features/slash_commands/0");
        assertThat(cmd.path("command").asText()).isEqualTo("/rollback");
        assertThat(cmd.path("description").asText()).isNotBlank().hasSizeLessThanOrEqualTo(2000);
        assertThat(cmd.path("usage_hint").asText()).contains("emergency", "manual", "--to");
        assertThat(cmd.path("url").asText()).endsWith("/slack/events");
    }

    @Test
    void turnsOnInteractivityForTheButtons() {
        assertThat(manifest.at("/settings/interactivity/is_enabled").asBoolean()).isTrue();
        assertThat(manifest.at("/settings/interactivity/request_url").asText()).endsWith("/slack/events");
    }

    @Test
    void asksForTheBotScopesTheBotUses() {
        List<String> scopes = new ArrayList<>();
        manifest.at("/oauth_config/scopes/bot").forEach(s -> scopes.add(s.asText()));
        assertThat(scopes).containsExactlyInAnyOrder("commands", "chat:write", "chat:write.public", "users:read",
                "usergroups:read", "im:write", "files:write");
    }
}
