package dev.rollbackbot.app;

import dev.rollbackbot.common.Errors;
import dev.rollbackbot.slack.SlackEdge;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Slack edge, which checks the bot token with Slack (auth.test). A token Slack rejects stops start-up;
 * a Slack API that cannot be reached does not: the bot keeps serving its health, says it is waiting for Slack,
 * and tries again with growing pauses until Slack answers.
 */
final class SlackConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlackConnection.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final Supplier<SlackEdge> factory;
    private final Consumer<SlackEdge> onReady;
    private final String apiUrl;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slack-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile SlackEdge edge;
    private volatile String problem = "connecting";

    SlackConnection(Supplier<SlackEdge> factory, Consumer<SlackEdge> onReady, String apiUrl) {
        this.factory = factory;
        this.onReady = onReady;
        this.apiUrl = apiUrl;
    }

    /** The first try, on the caller's thread; throws when Slack rejects the token. */
    void connect() {
        if (!attempt()) {
            retries.schedule(() -> retry(Duration.ofSeconds(2)), 1, TimeUnit.SECONDS);
        }
    }

    /** Why Slack requests cannot be served yet, when they cannot. */
    Optional<String> waitingFor() {
        return edge != null ? Optional.empty() : Optional.of("waiting for the Slack API at " + apiUrl + ": " + problem);
    }

    private void retry(Duration pause) {
        try {
            if (attempt()) {
                return;
            }
        } catch (RuntimeException e) {
            log.error("{}. Fix it and restart.", e.getMessage());
            problem = e.getMessage();
            return;
        }
        Duration next = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        retries.schedule(() -> retry(next), pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The edge counts as connected (health 200) only once {@code onReady} (Bolt's servlet, Socket Mode) has succeeded;
     * an edge whose {@code onReady} failed is shut down, so a retry does not leave it running.
     */
    private boolean attempt() {
        SlackEdge e;
        try {
            e = factory.get();
        } catch (RuntimeException ex) {
            return failed(ex, "Slack refused the bot token: " + ex.getMessage()
                    + " (check SLACK_BOT_TOKEN and that the app is installed in the workspace)");
        }
        try {
            onReady.accept(e);
        } catch (RuntimeException ex) {
            e.shutdown(Duration.ofSeconds(5));
            return failed(ex, ex.getMessage());
        }
        edge = e;
        log.info("connected to the Slack API at {}", apiUrl);
        return true;
    }

    /** False to retry when Slack could not be reached; else throws {@code refusal}. */
    private boolean failed(RuntimeException e, String refusal) {
        if (!unreachable(e)) {
            throw new IllegalStateException(refusal, e);
        }
        problem = Errors.rootMessage(e);
        log.warn("SLACK API NOT REACHABLE at {} ({}); serving health and retrying", apiUrl, problem);
        return false;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof dev.rollbackbot.slack.SlackGateway.Unreachable
                    || String.valueOf(t.getMessage()).contains("Failed to connect")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        retries.shutdownNow();
        if (edge != null) {
            edge.shutdown(Duration.ofSeconds(2));
        }
    }
}
