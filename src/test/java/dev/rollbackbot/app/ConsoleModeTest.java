package dev.rollbackbot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Console mode starts only with no Slack token at all; any token means Slack, with its own checks. */
class ConsoleModeTest {
    @Test
    void noSlackVariablesMeansConsoleModeWithASecretAndTokenMadeUpPerProcess() {
        Environment a = Environment.from(Map.of());
        Environment b = Environment.from(Map.of("SLACK_SIGNING_SECRET", "left-over-secret"));

        assertThat(a.console()).isTrue();
        assertThat(b.console()).isTrue();
        assertThat(a.botToken()).startsWith("xoxb-console-");
        assertThat(a.signingSecret()).get().asString().hasSize(32);
        assertThat(a.signingSecret()).isNotEqualTo(b.signingSecret());
        assertThat(b.signingSecret()).get().isNotEqualTo("left-over-secret");
        assertThat(a.botToken()).isNotEqualTo(b.botToken());
    }

    @Test
    void aBotTokenNeverStartsTheConsole() {
        assertThat(Environment.from(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s")).console()).isFalse();
        assertThatThrownBy(() -> Environment.from(Map.of("SLACK_BOT_TOKEN", "xoxb-1")))
                .hasMessageContaining("SLACK_SIGNING_SECRET is not set");
    }

    @Test
    void anAppTokenNeverStartsTheConsole() {
        assertThat(Environment.from(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1")).console()).isFalse();
        assertThatThrownBy(() -> Environment.from(Map.of("SLACK_APP_TOKEN", "xapp-1")))
                .hasMessageContaining("SLACK_BOT_TOKEN is not set");
    }

    @Test
    void blankTokensCountAsUnset() {
        assertThat(Environment.from(Map.of("SLACK_BOT_TOKEN", " ", "SLACK_APP_TOKEN", "")).console()).isTrue();
    }
}
