package dev.rollbackbot.app;

import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The Socket Mode app token, checked with Slack before Bolt uses it. */
final class AppTokenCheck {
    private AppTokenCheck() {
    }

    /**
     * Asks Slack for a Socket Mode URL with the app token before Bolt does: Bolt only logs a refusal and then fails
     * with a NullPointerException, and the SDK's "Failed to connect to the Socket Mode endpoint URL (error:
     * invalid_auth)" would read as an unreachable Slack. A refused token stops start-up naming SLACK_APP_TOKEN; a Slack
     * that cannot be reached (or answers 429/5xx) is retried like auth.test.
     */
    static void check(Slack slack, String appToken) {
        AppsConnectionsOpenResponse r;
        try {
            r = slack.methods(appToken).appsConnectionsOpen(req -> req);
        } catch (IOException e) {
            throw new UncheckedIOException("apps.connections.open: " + e.getMessage(), e);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429 || status >= 500) {
                throw new UncheckedIOException(new IOException("apps.connections.open answered HTTP " + status));
            }
            throw new IllegalStateException("Slack refused SLACK_APP_TOKEN: apps.connections.open answered HTTP " + status
                    + "; Socket Mode needs this app's app-level token (xapp-...) with connections:write", e);
        }
        if (!r.isOk()) {
            throw new IllegalStateException("Slack refused SLACK_APP_TOKEN: apps.connections.open answered " + r.getError()
                    + "; Socket Mode needs this app's app-level token (xapp-...) with connections:write");
        }
    }
}
