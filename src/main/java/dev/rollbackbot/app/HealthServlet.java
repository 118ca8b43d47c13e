package dev.rollbackbot.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code GET /health}: 200 when the bot is started, Slack accepted it and its database answers; else 503 and why. */
final class HealthServlet extends HttpServlet {
    private final transient Supplier<Optional<String>> notReadyBecause;
    private final transient BooleanSupplier database;

    HealthServlet(Supplier<Optional<String>> notReadyBecause, BooleanSupplier database) {
        this.notReadyBecause = notReadyBecause;
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> problem = notReadyBecause.get();
        if (problem.isEmpty() && !database.getAsBoolean()) {
            problem = Optional.of("the incident database does not answer");
        }
        resp.setStatus(problem.isEmpty() ? 200 : 503);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        String status = problem.orElse("ok").replace("\\", "/").replace("\"", "'");
        resp.getOutputStream().write(("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
