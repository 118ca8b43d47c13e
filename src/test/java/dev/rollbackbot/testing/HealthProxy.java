package dev.rollbackbot.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on 127.0.0.1 that forwards every GET to a container's published port and records each answer with
 * the caller's User-Agent, so a test can count the health monitor's checks (and their results) apart from a
 * rollback's own health polling. A container that does not answer is a 502.
 */
public final class HealthProxy implements AutoCloseable {
    public record Check(Instant at, String userAgent, int status) {
        public boolean failed() {
            return status != 200;
        }
    }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Check> checks = new CopyOnWriteArrayList<>();

    public HealthProxy(int upstreamPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            int status;
            try {
                HttpResponse<Void> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstreamPort
                        + ex.getRequestURI())).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                status = res.statusCode();
            } catch (IOException e) {
                status = 502;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 502;
            }
            checks.add(new Check(Instant.now(), String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")), status));
            ex.sendResponseHeaders(status, -1);
            try (OutputStream o = ex.getResponseBody()) {
                o.flush();
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The checks made with a User-Agent starting with {@code userAgent} (the monitor adds its replica), oldest first. */
    public List<Check> checksBy(String userAgent) {
        return checks.stream().filter(c -> c.userAgent().startsWith(userAgent)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
