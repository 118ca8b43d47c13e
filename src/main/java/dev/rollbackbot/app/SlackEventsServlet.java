package dev.rollbackbot.app;

import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** {@code /slack/events}: Bolt's servlet once the Slack edge is connected; 503 with the reason before that. */
final class SlackEventsServlet extends HttpServlet {
    private final transient AtomicReference<SlackAppServlet> delegate = new AtomicReference<>();
    private final transient Supplier<String> waitingFor;

    SlackEventsServlet(Supplier<String> waitingFor) {
        this.waitingFor = waitingFor;
    }

    void connect(SlackAppServlet servlet) throws ServletException {
        if (getServletConfig() != null) {
            servlet.init(getServletConfig());
        }
        delegate.set(servlet);
    }

    @Override
    public void init() throws ServletException {
        SlackAppServlet s = delegate.get();
        if (s != null) {
            s.init(getServletConfig());
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        SlackAppServlet s = delegate.get();
        if (s != null) {
            s.service(req, resp);
            return;
        }
        resp.setStatus(503);
        resp.setContentType("application/json");
        resp.getOutputStream().write(("{\"error\":\"" + waitingFor.get().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
