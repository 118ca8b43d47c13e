package dev.rollbackbot.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.response.Response;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks Bolt lacks, run after its signature check. */
final class SlackMiddleware {
    private static final Logger log = LoggerFactory.getLogger(SlackMiddleware.class);
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private SlackMiddleware() {
    }

    /**
     * Slack retries an Events API delivery it thinks failed, with {@code X-Slack-Retry-Num}. The first delivery
     * was already taken (work starts after the ack), so a retry is acknowledged and nothing else.
     */
    static Middleware ignoreRetries() {
        return (req, resp, chain) -> {
            String retry = req.isSocketMode() ? null : req.getHeaders().getFirstValue("X-Slack-Retry-Num");
            if (retry != null) {
                log.info("ignoring Slack retry #{} ({})", retry, req.getHeaders().getFirstValue("X-Slack-Retry-Reason"));
                resp.setStatusCode(200);
                resp.setBody("");
                return resp;
            }
            return chain.next(req);
        };
    }

    /** Bolt rejects timestamps too far in the past only; a request dated more than 5 minutes ahead is refused too. */
    static Middleware rejectFutureTimestamps(Clock clock) {
        return (req, resp, chain) -> {
            if (!req.isSocketMode()) {
                String ts = req.getHeaders().getFirstValue("X-Slack-Request-Timestamp");
                long t;
                try {
                    t = Long.parseLong(ts == null ? "" : ts.trim());
                } catch (NumberFormatException e) {
                    t = Long.MIN_VALUE;
                }
                if (t == Long.MIN_VALUE || t > clock.instant().plus(WINDOW).getEpochSecond()) {
                    log.warn("rejected a request whose timestamp {} is outside the 5-minute window", ts);
                    return Response.builder().statusCode(401).contentType("application/json; charset=utf-8")
                            .body("{\"error\":\"invalid request\"}").build();
                }
            }
            return chain.next(req);
        };
    }
}
