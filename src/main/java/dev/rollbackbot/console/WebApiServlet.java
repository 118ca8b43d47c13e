package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/api/<method>}: the Slack Web API methods the bot calls, answered as Slack answers them (HTTP 200,
 * {@code ok: true} with the method's fields, or {@code ok: false} with Slack's error code), against the console's
 * workspace. The bot's own {@code SlackGateway} and Bolt talk to it through the Slack SDK, unchanged.
 */
final class WebApiServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Workspace workspace;
    private final transient Uploads uploads;
    private final String botToken;
    private final String baseUrl;

    WebApiServlet(Workspace workspace, Uploads uploads, String botToken, String baseUrl) {
        this.workspace = workspace;
        this.uploads = uploads;
        this.botToken = botToken;
        this.baseUrl = baseUrl;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        ObjectNode out;
        try {
            Map<String, String> p = params(req);
            authorize(req, p);
            out = answer(method, new Args(p));
            out.put("ok", true);
        } catch (SlackError e) {
            out = JSON.createObjectNode().put("ok", false).put("error", e.code());
        }
        resp.setStatus(200);
        resp.setContentType("application/json; charset=utf-8");
        // "ok" first, as Slack writes it
        ObjectNode ordered = JSON.createObjectNode().put("ok", out.path("ok").asBoolean());
        out.remove("ok");
        ordered.setAll(out);
        JSON.writeValue(resp.getOutputStream(), ordered);
    }

    private void authorize(HttpServletRequest req, Map<String, String> p) {
        String header = req.getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : p.get("token");
        if (token == null || token.isBlank()) {
            throw new SlackError("not_authed");
        }
        if (!token.equals(botToken)) {
            throw new SlackError("invalid_auth");
        }
    }

    private ObjectNode answer(String method, Args a) {
        ObjectNode o = JSON.createObjectNode();
        switch (method) {
            case "auth.test" -> o.put("url", baseUrl + "/console").put("team", "Console").put("user", "rollback-bot")
                    .put("team_id", "T0CONSOLE").put("user_id", People.BOT).put("bot_id", "B0CONSOLE1").put("is_enterprise_install", false);
            case "chat.postMessage" -> {
                ConsoleMessage m = workspace.post(a.channel("channel"), People.BOT, a.text(), a.blocks(), a.opt("thread_ts"), null);
                o.put("channel", m.channel()).put("ts", m.ts()).set("message", messageJson(m));
            }
            case "chat.update" -> {
                ConsoleMessage m = workspace.update(a.channel("channel"), a.required("ts", "message_not_found"), a.text(), a.blocks());
                o.put("channel", m.channel()).put("ts", m.ts()).put("text", m.text()).set("message", messageJson(m));
            }
            case "chat.postEphemeral" -> {
                String user = a.required("user", "user_not_in_channel");
                if (workspace.people().user(user).isEmpty()) {
                    throw new SlackError("user_not_in_channel");
                }
                ConsoleMessage m = workspace.post(a.channel("channel"), People.BOT, a.text(), a.blocks(), a.opt("thread_ts"), user);
                o.put("message_ts", m.ts());
            }
            case "chat.getPermalink" -> {
                String channel = a.channel("channel");
                ConsoleMessage m = workspace.find(channel, a.required("message_ts", "message_not_found"))
                        .orElseThrow(() -> new SlackError("message_not_found"));
                o.put("channel", channel).put("permalink", baseUrl + "/console#" + channel + "-" + m.ts());
            }
            case "conversations.open" -> {
                String users = a.opt("users");
                if (users == null && a.opt("channel") == null) {
                    throw new SlackError("users_list_not_supplied");
                }
                String id = users != null ? workspace.openDm(users.split(",")[0].trim()) : a.channel("channel");
                o.set("channel", JSON.createObjectNode().put("id", id));
            }
            case "usergroups.users.list" -> {
                List<String> members = workspace.people().members(a.required("usergroup", "no_such_subteam"))
                        .orElseThrow(() -> new SlackError("no_such_subteam"));
                ArrayNode users = o.putArray("users");
                members.forEach(users::add);
            }
            case "users.info" -> o.set("user", userJson(workspace.people().user(a.required("user", "user_not_found"))
                    .orElseThrow(() -> new SlackError("user_not_found"))));
            case "files.getUploadURLExternal" -> {
                String name = a.required("filename", "invalid_arguments");
                long length = a.number("length");
                Uploads.Upload u = uploads.start(name, length);
                o.put("upload_url", baseUrl + "/console/upload/" + u.id()).put("file_id", u.id());
            }
            case "files.completeUploadExternal" -> completeUpload(a, o);
            default -> throw new SlackError("unknown_method");
        }
        return o;
    }

    private void completeUpload(Args a, ObjectNode o) {
        JsonNode files = a.json("files");
        if (!files.isArray() || files.isEmpty()) {
            throw new SlackError("invalid_arguments");
        }
        ArrayNode done = o.putArray("files");
        for (JsonNode f : files) {
            Uploads.Upload u = uploads.get(f.path("id").asText()).orElseThrow(() -> new SlackError("file_not_found"));
            if (u.bytes() == null) {
                throw new SlackError("file_upload_incomplete"); // the bytes were never sent to the upload URL
            }
            String title = f.path("title").asText(u.filename());
            done.addObject().put("id", u.id()).put("title", title).put("name", u.filename()).put("mimetype", u.mimetype())
                    .put("size", u.bytes().length).put("url_private", baseUrl + "/console/files/" + u.id());
        }
        String channel = a.opt("channel_id");
        if (channel != null) {
            String comment = a.opt("initial_comment") == null ? "" : a.opt("initial_comment");
            workspace.share(a.channel("channel_id"), People.BOT, comment, done.deepCopy(), a.opt("thread_ts"));
        }
    }

    static ObjectNode messageJson(ConsoleMessage m) {
        ObjectNode n = JSON.createObjectNode().put("type", "message").put("user", m.user()).put("text", m.text()).put("ts", m.ts());
        if (People.BOT.equals(m.user())) {
            n.put("bot_id", "B0CONSOLE1");
        }
        if (m.threadTs() != null) {
            n.put("thread_ts", m.threadTs());
        }
        if (m.blocks() != null && !m.blocks().isEmpty()) {
            n.set("blocks", m.blocks());
        }
        n.put("team", "T0CONSOLE");
        return n;
    }

    private static ObjectNode userJson(People.Person p) {
        ObjectNode u = JSON.createObjectNode().put("id", p.id()).put("team_id", "T0CONSOLE").put("name", p.name())
                .put("deleted", false).put("real_name", p.name()).put("tz", "UTC").put("is_bot", People.BOT.equals(p.id()))
                .put("is_app_user", false).put("is_admin", false).put("is_owner", false).put("updated", 0);
        ObjectNode profile = u.putObject("profile").put("real_name", p.name()).put("display_name", p.name())
                .put("avatar_hash", "").put("real_name_normalized", p.name()).put("display_name_normalized", p.name())
                .put("title", p.role()).put("phone", "").put("skype", "").put("status_text", "").put("status_emoji", "")
                .put("team", "T0CONSOLE");
        profile.putNull("fields");
        return u;
    }

    /** Slack takes form fields (what the SDK sends) or a JSON body. */
    private static Map<String, String> params(HttpServletRequest req) throws IOException {
        Map<String, String> p = new HashMap<>();
        String type = req.getContentType() == null ? "" : req.getContentType();
        if (type.startsWith("application/json")) {
            JsonNode body = JSON.readTree(req.getInputStream());
            body.fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        } else {
            req.getParameterMap().forEach((k, v) -> p.put(k, v.length == 0 ? "" : v[0]));
        }
        return p;
    }

    /** A method's arguments, read with Slack's errors for missing or malformed ones. */
    private final class Args {
        private final Map<String, String> p;

        Args(Map<String, String> p) {
            this.p = p;
        }

        String opt(String name) {
            String v = p.get(name);
            return v == null || v.isBlank() ? null : v;
        }

        String required(String name, String error) {
            String v = opt(name);
            if (v == null) {
                throw new SlackError(error);
            }
            return v;
        }

        String channel(String name) {
            String c = required(name, "channel_not_found");
            if (!workspace.hasChannel(c)) {
                throw new SlackError("channel_not_found");
            }
            return c;
        }

        long number(String name) {
            try {
                return Long.parseLong(required(name, "invalid_arguments"));
            } catch (NumberFormatException e) {
                throw new SlackError("invalid_arguments");
            }
        }

        JsonNode json(String name) {
            try {
                return JSON.readTree(required(name, "invalid_arguments"));
            } catch (IOException e) {
                throw new SlackError("invalid_arguments");
            }
        }

        /** Blocks as a JSON array, or an empty one; anything else is {@code invalid_blocks}. */
        JsonNode blocks() {
            String b = opt("blocks");
            if (b == null) {
                return JSON.createArrayNode();
            }
            try {
                JsonNode n = JSON.readTree(b);
                if (!n.isArray() || n.size() > 50) {
                    throw new SlackError("invalid_blocks");
                }
                return n;
            } catch (IOException e) {
                throw new SlackError("invalid_blocks");
            }
        }

        /** The text, required unless there are blocks ({@code no_text}, as Slack). */
        String text() {
            String t = opt("text");
            if (t == null && blocks().isEmpty()) {
                throw new SlackError("no_text");
            }
            return t == null ? "" : t;
        }
    }
}
