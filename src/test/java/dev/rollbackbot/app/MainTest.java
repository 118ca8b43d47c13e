package dev.rollbackbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a failed start-up prints: one line for what the operator can fix, a stack trace only for surprises. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRefusedTokenIsOneLineNamingTheVariable() {
        var cause = new RuntimeException("auth.test failed: invalid_auth");
        var e = new IllegalStateException("Slack refused the bot token: auth.test failed: invalid_auth"
                + " (check SLACK_BOT_TOKEN and that the app is installed in the workspace)", cause);

        assertThat(Main.reportStartFailure(e, 3000, err)).isNotZero();

        assertThat(printed()).isEqualTo("rollback-bot cannot start: Slack refused the bot token: auth.test failed: invalid_auth"
                + " (check SLACK_BOT_TOKEN and that the app is installed in the workspace)" + System.lineSeparator());
    }

    @Test
    void otherExpectedFailuresAreOneLineToo() {
        Main.reportStartFailure(new UncheckedIOException("apps.connections.open: timeout", new IOException("timeout")), 3000, err);
        Main.reportStartFailure(new IllegalArgumentException("SLACK_APP_TOKEN must be an app-level token (xapp-...)"), 3000, err);

        assertThat(printed().lines()).containsExactly(
                "rollback-bot cannot start: apps.connections.open: timeout",
                "rollback-bot cannot start: SLACK_APP_TOKEN must be an app-level token (xapp-...)");
    }

    @Test
    void aPortInUseSaysWhichAndHowToChooseAnother() {
        var e = new IOException("Failed to bind to 0.0.0.0/0.0.0.0:3000", new BindException("Address already in use"));

        assertThat(Main.reportStartFailure(e, 3000, err)).isNotZero();

        assertThat(printed().lines()).containsExactly("rollback-bot cannot start: port 3000 is in use (Address already in use):"
                + " stop what listens there or set PORT to a free port");
    }

    @Test
    void anUnexpectedFailureSaysSoFirstAndKeepsItsStackTrace() {
        var e = new IllegalStateException("wiring", new NullPointerException("engine is null"));
        Main.reportStartFailure(new RuntimeException(e), 3000, err);
        Main.reportStartFailure(new IllegalStateException(), 3000, err); // expected type, but says nothing

        String[] lines = printed().split("\\R");
        assertThat(lines[0]).isEqualTo("rollback-bot cannot start: unexpected NullPointerException: engine is null (stack trace below)");
        assertThat(lines[1]).startsWith("java.lang.RuntimeException");
        assertThat(printed()).contains("\tat dev.rollbackbot.app.MainTest", "Caused by: java.lang.NullPointerException: engine is null",
                "rollback-bot cannot start: unexpected IllegalStateException (stack trace below)");
    }
}
