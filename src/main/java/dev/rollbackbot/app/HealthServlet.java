package dev.rollbackbot.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: 200 when the bot is started and its database answers, 503 otherwise. */
final class HealthServlet extends HttpServlet {
    private final transient BooleanSupplier ready;
    private final transient BooleanSupplier database;

    HealthServlet(BooleanSupplier ready, BooleanSupplier database) {
        this.ready = ready;
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean up = ready.getAsBoolean();
        boolean db = up && database.getAsBoolean();
        resp.setStatus(up && db ? 200 : 503);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        String status = !up ? "starting or stopping" : db ? "ok" : "database unreachable";
        resp.getOutputStream().write(("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
