package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The page and what it asks: {@code GET /console} (HTML, with its script and style under {@code /console/assets/}),
 * {@code GET /console/state?as=U&since=N} (what that person sees; waits up to 15 s for a change after version N),
 * {@code POST /console/command} (typing {@code /rollback ...}) and {@code POST /console/click} (a button, after its
 * confirmation). Typing and clicking become Slack's own signed requests to the bot ({@link EventSender}).
 */
final class PageServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of("console.js", "text/javascript", "console.css", "text/css");
    static final String COMMAND = "/rollback";

    private final transient Workspace workspace;
    private final transient ResponseUrls responseUrls;
    private final transient EventSender sender;

    PageServlet(Workspace workspace, ResponseUrls responseUrls, EventSender sender) {
        this.workspace = workspace;
        this.responseUrls = responseUrls;
        this.sender = sender;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getServletPath()) {
            case "/console" -> resource(resp, "index.html", "text/html");
            case "/console/assets" -> {
                String name = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
                if (!ASSETS.containsKey(name)) {
                    resp.sendError(404);
                    return;
                }
                resource(resp, name, ASSETS.get(name));
            }
            case "/console/state" -> state(req, resp);
            default -> resp.sendError(404);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Only the page itself may type and click: it sends a header a form on another site cannot send without
        // asking first (which is never answered), and it was loaded from this machine by name or address
        String host = String.valueOf(req.getServerName());
        if (!"1".equals(req.getHeader("X-Console")) || !(host.equals("localhost") || host.equals("127.0.0.1"))) {
            json(resp, 403, JSON.createObjectNode().put("ok", false).put("error", "only the console page may do that"));
            return;
        }
        Optional<People.Person> as = workspace.people().user(param(req, "as")).filter(p -> !People.BOT.equals(p.id()));
        String channel = param(req, "channel");
        if (as.isEmpty() || !workspace.hasChannel(channel)) {
            json(resp, 400, JSON.createObjectNode().put("ok", false).put("error", "unknown person or channel"));
            return;
        }
        switch (req.getServletPath()) {
            case "/console/command" -> command(as.get(), channel, param(req, "text").strip(), resp);
            case "/console/click" -> click(as.get(), channel, req, resp);
            default -> resp.sendError(404);
        }
    }

    private void command(People.Person who, String channel, String typed, HttpServletResponse resp) throws IOException {
        if (typed.isEmpty()) {
            json(resp, 400, JSON.createObjectNode().put("ok", false).put("error", "nothing typed"));
            return;
        }
        // what was typed stays visible to whoever typed it, as a draft does in Slack's box
        workspace.post(channel, who.id(), typed, JSON.createArrayNode(), null, who.id());
        String[] words = typed.split("\\s+", 2);
        String url = responseUrls.create(who.id(), channel, null);
        if (!COMMAND.equals(words[0])) {
            answer(url, "`" + words[0] + "` is not a valid command. Only `" + COMMAND + "` is installed in this console"
                    + " (try `" + COMMAND + " help`).");
            json(resp, 200, JSON.createObjectNode().put("ok", true));
            return;
        }
        EventSender.Ack ack = sender.command(who.id(), who.name(), channel, COMMAND, words.length > 1 ? words[1] : "", url);
        acknowledged(ack, url, resp);
    }

    private void click(People.Person who, String channel, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<ConsoleMessage> m = workspace.find(channel, param(req, "ts")).filter(x -> x.visibleTo(who.id()));
        if (m.isEmpty()) {
            json(resp, 404, JSON.createObjectNode().put("ok", false).put("error", "message_not_found"));
            return;
        }
        String url = responseUrls.create(who.id(), channel, m.get().ts());
        acknowledged(sender.click(who.id(), who.name(), m.get(), param(req, "action_id"), param(req, "block_id"),
                param(req, "value"), url), url, resp);
    }

    /** An acknowledgement with a body is the bot's immediate ephemeral answer; a failed one is shown as Slack shows it. */
    private void acknowledged(EventSender.Ack ack, String url, HttpServletResponse resp) throws IOException {
        if (ack.status() != 200) {
            answer(url, "⚠️ The bot did not acknowledge (" + (ack.status() == 0 ? "no answer" : "HTTP " + ack.status())
                    + "): " + ack.body());
        } else if (ack.body() != null && !ack.body().isBlank()) {
            JsonNode body = JSON.readTree(ack.body());
            ResponseServlet.post(workspace, responseUrls.target(idOf(url)).orElseThrow(), body, body.path("text").asText(""),
                    body.path("blocks").isArray() ? body.path("blocks") : JSON.createArrayNode());
        }
        json(resp, 200, JSON.createObjectNode().put("ok", ack.status() == 200).put("status", ack.status()));
    }

    private void answer(String url, String text) {
        ResponseServlet.post(workspace, responseUrls.target(idOf(url)).orElseThrow(),
                JSON.createObjectNode().put("response_type", "ephemeral"), text, JSON.createArrayNode());
    }

    private static String idOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void state(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String as = param(req, "as");
        long since;
        try {
            since = Long.parseLong(Optional.ofNullable(req.getParameter("since")).orElse("-1"));
        } catch (NumberFormatException e) {
            since = -1;
        }
        try {
            workspace.awaitChange(since, 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("version", workspace.version()).put("channel", workspace.channel());
        ArrayNode channels = out.putArray("channels");
        workspace.channels().forEach((id, name) -> channels.addObject().put("id", id).put("name", name));
        ArrayNode people = out.putArray("people");
        workspace.people().actors().forEach(p -> people.addObject().put("id", p.id()).put("name", p.name()).put("role", p.role()));
        ObjectNode names = out.putObject("users");
        workspace.people().actors().forEach(p -> names.put(p.id(), p.name()));
        names.put(People.BOT, "rollback-bot");
        ObjectNode groups = out.putObject("groups");
        workspace.people().groups().forEach(groups::put);
        ArrayNode messages = out.putArray("messages");
        for (ConsoleMessage m : workspace.visibleTo(as)) {
            ObjectNode n = messages.addObject().put("channel", m.channel()).put("ts", m.ts()).put("user", m.user())
                    .put("text", m.text()).put("ephemeral", m.ephemeral()).put("edited", m.edited());
            if (m.threadTs() != null) {
                n.put("thread_ts", m.threadTs());
            }
            n.set("blocks", m.blocks());
            if (!m.files().isEmpty()) {
                n.set("files", m.files());
            }
        }
        json(resp, 200, out);
    }

    private static String param(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        return v == null ? "" : v;
    }

    private void resource(HttpServletResponse resp, String name, String type) throws IOException {
        try (InputStream in = PageServlet.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType(type + "; charset=utf-8");
            resp.setHeader("Cache-Control", "no-store");
            in.transferTo(resp.getOutputStream());
        }
    }

    private static void json(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        JSON.writeValue(resp.getOutputStream(), body);
    }
}
