package dev.rollbackbot.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code http_server_requests_seconds{method, uri, status}} for every request the bot's HTTP server answers. The
 * {@code uri} tag is the route ({@code /slack/events}, {@code /health}, ...), never the raw path, so a scan of random
 * paths cannot grow the scrape; the known routes are registered at zero.
 */
final class HttpMetricsFilter extends HttpFilter {
    private static final String NAME = "http_server_requests";
    private final transient MeterRegistry registry;
    private final List<String> routes;

    HttpMetricsFilter(MeterRegistry registry, List<String> routes) {
        this.registry = registry;
        this.routes = List.copyOf(routes);
        for (String r : routes) {
            timer(r.equals("/slack/events") ? "POST" : "GET", r, 200);
        }
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            String method = switch (req.getMethod()) {
                case "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS" -> req.getMethod();
                default -> "OTHER";
            };
            timer(method, route(req.getRequestURI()), res.getStatus()).record(System.nanoTime() - start,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private String route(String path) {
        for (String r : routes) {
            if (path.equals(r) || path.startsWith(r.endsWith("/") ? r : r + "/")) {
                return r;
            }
        }
        return "other";
    }

    private Timer timer(String method, String uri, int status) {
        return Timer.builder(NAME).description("HTTP requests the bot answered").tag("method", method).tag("uri", uri)
                .tag("status", String.valueOf(status)).register(registry);
    }
}
