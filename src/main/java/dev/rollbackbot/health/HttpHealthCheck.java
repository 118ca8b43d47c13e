package dev.rollbackbot.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

/** Asks a service's health URL for 200, once or until a deadline. */
public final class HttpHealthCheck {
    private static final Duration PER_REQUEST = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Clock clock;
    private final Poll poll;

    public HttpHealthCheck(Clock clock) {
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).version(HttpClient.Version.HTTP_1_1).build();
        this.poll = Poll.quick(clock);
    }

    /** One answer: the status code (or -1) and what went wrong, with the response time. */
    public record Probe(int status, String problem, Duration took) {
        public boolean healthy() {
            return status == 200;
        }

        public String describe() {
            return status > 0 ? "HTTP " + status : problem;
        }
    }

    public Probe probe(URI url, Duration timeout) {
        return probe(url, timeout, "rollback-bot");
    }

    /** The same, sent as {@code userAgent} (the health monitor's checks can be told from a rollback's). */
    public Probe probe(URI url, Duration timeout, String userAgent) {
        long start = clock.millis();
        try {
            HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).GET().header("User-Agent", userAgent).build();
            HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
            return new Probe(res.statusCode(), "", Duration.ofMillis(clock.millis() - start));
        } catch (HttpTimeoutException e) {
            return new Probe(-1, "no answer within " + timeout.toMillis() + " ms", Duration.ofMillis(clock.millis() - start));
        } catch (IOException e) {
            String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof java.net.ConnectException) {
                what = "connection refused";
            }
            return new Probe(-1, what, Duration.ofMillis(clock.millis() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, "interrupted", Duration.ofMillis(clock.millis() - start));
        }
    }

    /** Polls until the URL answers 200 or {@code within} has passed. */
    public Poll.Outcome<Probe> awaitHealthy(URI url, Duration within) throws InterruptedException {
        return poll.until(within, () -> {
            Probe p = probe(url, PER_REQUEST);
            return p.healthy() ? Poll.Attempt.done(p) : Poll.Attempt.notYet(p.describe());
        });
    }
}
