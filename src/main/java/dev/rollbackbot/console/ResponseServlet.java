package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /console/response/<id>}: what the bot sends to a {@code response_url}. An ephemeral answer (the bot's
 * kind) is shown only to who typed or clicked; {@code in_channel} is posted for everyone; {@code replace_original}
 * redraws the clicked message. Answers {@code ok} as Slack does, {@code 404} for a URL it never handed out.
 */
final class ResponseServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Workspace workspace;
    private final transient ResponseUrls urls;

    ResponseServlet(Workspace workspace, ResponseUrls urls) {
        this.workspace = workspace;
        this.urls = urls;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var target = urls.target(req.getPathInfo() == null ? "" : req.getPathInfo().substring(1));
        if (target.isEmpty()) {
            resp.sendError(404, "no such response_url");
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(req.getInputStream());
        } catch (IOException e) {
            resp.sendError(400, "invalid_json");
            return;
        }
        String text = body.path("text").asText("");
        JsonNode blocks = body.path("blocks").isArray() ? body.path("blocks") : JSON.createArrayNode();
        ResponseUrls.Target t = target.get();
        try {
            post(t, body, text, blocks);
        } catch (SlackError e) {
            resp.sendError(404, e.code());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/plain");
        resp.getWriter().write("ok");
    }

    static void post(Workspace workspace, ResponseUrls.Target t, JsonNode body, String text, JsonNode blocks) {
        boolean inChannel = "in_channel".equals(body.path("response_type").asText());
        if (body.path("replace_original").asBoolean(false) && t.messageTs() != null) {
            workspace.update(t.channel(), t.messageTs(), text, blocks);
        } else {
            workspace.post(t.channel(), People.BOT, text, blocks, null, inChannel ? null : t.user());
        }
    }

    private void post(ResponseUrls.Target t, JsonNode body, String text, JsonNode blocks) {
        post(workspace, t, body, text, blocks);
    }
}
