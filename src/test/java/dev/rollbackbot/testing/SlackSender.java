package dev.rollbackbot.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Sends what Slack sends: signed slash commands and button clicks to {@code /slack/events}. */
public final class SlackSender {
    public static final String CHANNEL = "C0TEST";

    private final URI events;
    private final String secret;
    private final FakeSlack slack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SlackSender(URI events, String secret, FakeSlack slack) {
        this.events = events;
        this.secret = secret;
        this.slack = slack;
    }

    /** What the bot answered, and how long it took. */
    public record Reply(int status, String body, Duration took, String responseUrl) {
        /** The {@code text} of a JSON acknowledgement (an ephemeral answer on the ack), or "" for an empty one. */
        public String text() {
            if (body == null || body.isBlank()) {
                return "";
            }
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("text").asText("");
            } catch (Exception e) {
                return body;
            }
        }
    }

    public Reply command(String user, String text) {
        return command(user, text, UUID.randomUUID().toString(), Map.of());
    }

    /** A slash command with a given trigger id (to replay the same delivery) and extra headers. */
    public Reply command(String user, String text, String triggerId, Map<String, String> headers) {
        return command(user, text, triggerId, headers, slack.newResponseUrl());
    }

    /** A slash command with a given trigger id and response_url: Slack resending one delivery sends both unchanged. */
    public Reply command(String user, String text, String triggerId, Map<String, String> headers, String responseUrl) {
        return send(commandBody(user, text, triggerId, responseUrl), Instant.now().getEpochSecond(), null, headers, responseUrl);
    }

    /** The form body Slack posts for {@code /rollback text}, to send with {@link #send} (e.g. signed wrongly). */
    public String commandBody(String user, String text, String triggerId, String responseUrl) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "legacy-token");
        f.put("team_id", "T0TEST");
        f.put("team_domain", "test");
        f.put("channel_id", CHANNEL);
        f.put("channel_name", "ops");
        f.put("user_id", user);
        f.put("user_name", user.toLowerCase());
        f.put("command", "/rollback");
        f.put("text", text);
        f.put("api_app_id", "A0TEST");
        f.put("response_url", responseUrl);
        f.put("trigger_id", triggerId);
        return f.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    /** A click on a button of the card posted at {@code messageTs}. */
    public Reply click(String user, String actionId, long incidentId, String messageTs) {
        return click(user, actionId, String.valueOf(incidentId), messageTs, UUID.randomUUID().toString());
    }

    public Reply click(String user, String actionId, String value, String messageTs, String triggerId) {
        return click(user, actionId, value, messageTs, triggerId, slack.newResponseUrl());
    }

    /** A click with a given trigger id and response_url: Slack resending one click sends both unchanged. */
    public Reply click(String user, String actionId, String value, String messageTs, String triggerId, String responseUrl) {
        String payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"T0TEST\",\"domain\":\"test\"},"
                + "\"user\":{\"id\":\"" + user + "\",\"username\":\"" + user.toLowerCase() + "\",\"team_id\":\"T0TEST\"},"
                + "\"api_app_id\":\"A0TEST\",\"token\":\"legacy-token\","
                + "\"container\":{\"type\":\"message\",\"message_ts\":\"" + messageTs + "\",\"channel_id\":\"" + CHANNEL
                + "\",\"is_ephemeral\":false},"
                + "\"trigger_id\":\"" + triggerId + "\",\"channel\":{\"id\":\"" + CHANNEL + "\",\"name\":\"ops\"},"
                + "\"message\":{\"type\":\"message\",\"ts\":\"" + messageTs + "\",\"text\":\"card\"},"
                + "\"response_url\":\"" + responseUrl + "\","
                + "\"actions\":[{\"action_id\":\"" + actionId + "\",\"block_id\":\"decision-" + value + "\","
                + "\"text\":{\"type\":\"plain_text\",\"text\":\"x\"},\"value\":\"" + value + "\",\"type\":\"button\","
                + "\"action_ts\":\"" + Instant.now().getEpochSecond() + ".000001\"}]}";
        return send("payload=" + enc(payload), Instant.now().getEpochSecond(), null, Map.of(), responseUrl);
    }

    /** Any body, signed at {@code timestamp}; {@code signature} null means a correct one. */
    public Reply send(String body, long timestamp, String signature, Map<String, String> headers, String responseUrl) {
        String sig = signature != null ? signature : sign(secret, timestamp, body);
        HttpRequest.Builder b = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", String.valueOf(timestamp))
                .header("X-Slack-Signature", sig)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - t0), responseUrl);
        } catch (Exception e) {
            throw new IllegalStateException("could not reach the bot at " + events, e);
        }
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
