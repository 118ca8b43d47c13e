package dev.rollbackbot.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends what Slack sends when someone types or clicks: slash commands and {@code block_actions} payloads, form-encoded
 * and signed (v0, with the process's signing secret) to the bot's own {@code /slack/events}, which checks them as it
 * checks Slack's. Returns the bot's acknowledgement.
 */
final class EventSender {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bot's HTTP answer to one delivery. */
    record Ack(int status, String body) {
    }

    private final URI events;
    private final String secret;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    EventSender(URI events, String secret, Clock clock) {
        this.events = events;
        this.secret = secret;
        this.clock = clock;
    }

    Ack command(String user, String userName, String channel, String command, String text, String responseUrl) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "console");
        f.put("team_id", "T0CONSOLE");
        f.put("team_domain", "console");
        f.put("channel_id", channel);
        f.put("channel_name", channel);
        f.put("user_id", user);
        f.put("user_name", userName);
        f.put("command", command);
        f.put("text", text);
        f.put("api_app_id", "A0CONSOLE");
        f.put("response_url", responseUrl);
        f.put("trigger_id", UUID.randomUUID().toString());
        return send(f.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&")));
    }

    /** A click on a button of {@code message}. */
    Ack click(String user, String userName, ConsoleMessage message, String actionId, String blockId, String value,
            String responseUrl) {
        ObjectNode p = JSON.createObjectNode().put("type", "block_actions");
        p.putObject("team").put("id", "T0CONSOLE").put("domain", "console");
        p.putObject("user").put("id", user).put("username", userName).put("name", userName).put("team_id", "T0CONSOLE");
        p.put("api_app_id", "A0CONSOLE").put("token", "console").put("trigger_id", UUID.randomUUID().toString());
        ObjectNode container = p.putObject("container").put("type", "message").put("message_ts", message.ts())
                .put("channel_id", message.channel()).put("is_ephemeral", message.ephemeral());
        if (message.threadTs() != null) {
            container.put("thread_ts", message.threadTs());
        }
        p.putObject("channel").put("id", message.channel()).put("name", message.channel());
        if (!message.ephemeral()) {
            p.set("message", WebApiServlet.messageJson(message));
        }
        p.put("response_url", responseUrl);
        ObjectNode action = p.putArray("actions").addObject().put("action_id", actionId).put("block_id", blockId)
                .put("value", value).put("type", "button")
                .put("action_ts", String.format("%d.%06d", clock.millis() / 1000, (clock.millis() % 1000) * 1000));
        action.putObject("text").put("type", "plain_text").put("text", actionId);
        return send("payload=" + enc(p.toString()));
    }

    private Ack send(String body) {
        long ts = clock.instant().getEpochSecond();
        HttpRequest r = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", String.valueOf(ts))
                .header("X-Slack-Signature", sign(secret, ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Ack(res.statusCode(), res.body());
        } catch (IOException e) {
            return new Ack(0, "the bot did not answer at " + events + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ack(0, "interrupted");
        }
    }

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
