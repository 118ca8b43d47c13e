package dev.rollbackbot.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Slack's side of Socket Mode, on 127.0.0.1 and a free port: greets each connection with {@code hello}, sends the
 * given envelopes once the first client is connected, and records what the client sends back (its acks) with the
 * time each took from the envelope being sent.
 */
public final class FakeSocketMode extends WebSocketServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An acknowledgement the client sent, and how long after its envelope. */
    public record Ack(JsonNode json, Duration took) {
        public JsonNode payload() {
            return json.path("payload");
        }
    }

    private final List<String> onFirstConnect;
    private final AtomicBoolean firstConnect = new AtomicBoolean(true);
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch connected = new CountDownLatch(1);
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile WebSocket client;
    private volatile Exception startError;

    private FakeSocketMode(List<String> onFirstConnect) {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.onFirstConnect = onFirstConnect;
        setReuseAddr(true);
        setDaemon(true);
    }

    /** Starts listening; {@code onFirstConnect} are sent, in order, right after the first client's hello. */
    public static FakeSocketMode open(String... onFirstConnect) throws InterruptedException {
        FakeSocketMode s = new FakeSocketMode(List.of(onFirstConnect));
        s.start();
        if (!s.started.await(10, TimeUnit.SECONDS) || s.startError != null) {
            throw new IllegalStateException("the fake Socket Mode server did not start", s.startError);
        }
        return s;
    }

    /** The URL {@code apps.connections.open} hands out. */
    public String url() {
        return "ws://127.0.0.1:" + getPort() + "/link";
    }

    public void awaitConnected(Duration timeout) throws InterruptedException {
        if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no Socket Mode client connected within " + timeout);
        }
    }

    /** Sends an envelope to the connected client and notes the time, to measure its ack. */
    public void send(String envelope) {
        WebSocket c = client;
        if (c == null) {
            throw new IllegalStateException("no client is connected");
        }
        sentAt.put(envelopeId(envelope), System.nanoTime());
        c.send(envelope);
    }

    /** Waits for the client's ack of {@code envelopeId}. */
    public Ack awaitAck(String envelopeId, Duration timeout) {
        return await().atMost(timeout).alias("the ack of envelope " + envelopeId).until(() -> acks.get(envelopeId),
                a -> a != null);
    }

    /** Every text message the client sent, oldest first. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** The request paths clients connected with. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** A {@code slash_commands} envelope as Slack sends it. */
    public static String slashCommand(String envelopeId, String command, String text, String userId, String channelId,
            String responseUrl) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("token", "fixed-value");
        p.put("team_id", "T0TEST");
        p.put("team_domain", "test");
        p.put("channel_id", channelId);
        p.put("channel_name", "ops");
        p.put("user_id", userId);
        p.put("user_name", "someone");
        p.put("command", command);
        p.put("text", text);
        p.put("api_app_id", "A0TEST");
        p.put("is_enterprise_install", "false");
        p.put("response_url", responseUrl);
        p.put("trigger_id", envelopeId + ".trigger");
        ObjectNode e = MAPPER.createObjectNode();
        e.put("envelope_id", envelopeId);
        e.set("payload", p);
        e.put("type", "slash_commands");
        e.put("accepts_response_payload", true);
        return e.toString();
    }

    /** An {@code interactive} envelope: a click on the button {@code actionId} carrying {@code value}. */
    public static String buttonClick(String envelopeId, String actionId, String value, String userId, String channelId,
            String responseUrl) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("type", "block_actions");
        p.putObject("user").put("id", userId).put("username", "someone").put("name", "someone").put("team_id", "T0TEST");
        p.put("api_app_id", "A0TEST");
        p.put("token", "fixed-value");
        p.putObject("container").put("type", "message").put("message_ts", "1700000000.000100").put("channel_id", channelId)
                .put("is_ephemeral", false);
        p.put("trigger_id", envelopeId + ".trigger");
        p.putObject("team").put("id", "T0TEST").put("domain", "test");
        p.putObject("channel").put("id", channelId).put("name", "ops");
        p.putObject("message").put("type", "message").put("ts", "1700000000.000100").put("text", "card");
        p.put("response_url", responseUrl);
        ObjectNode action = p.putArray("actions").addObject();
        action.put("action_id", actionId).put("block_id", "decision-" + value).put("value", value).put("type", "button")
                .put("action_ts", "1700000001.000001");
        action.putObject("text").put("type", "plain_text").put("text", "x");
        ObjectNode e = MAPPER.createObjectNode();
        e.put("envelope_id", envelopeId);
        e.set("payload", p);
        e.put("type", "interactive");
        e.put("accepts_response_payload", false);
        return e.toString();
    }

    private static String hello() {
        return "{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"applink-test\",\"build_number\":1,"
                + "\"approximate_connection_time\":18060},\"connection_info\":{\"app_id\":\"A0TEST\"}}";
    }

    private static String envelopeId(String json) {
        try {
            return MAPPER.readTree(json).path("envelope_id").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        paths.add(handshake.getResourceDescriptor());
        client = conn;
        conn.send(hello());
        if (firstConnect.getAndSet(false)) {
            onFirstConnect.forEach(this::send);
        }
        connected.countDown();
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        long now = System.nanoTime();
        received.add(message);
        String id = envelopeId(message);
        Long sent = id == null ? null : sentAt.get(id);
        if (sent != null) {
            try {
                acks.putIfAbsent(id, new Ack(MAPPER.readTree(message), Duration.ofNanos(now - sent)));
            } catch (Exception e) {
                // not JSON: kept in received() only
            }
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        if (conn == client) {
            client = null;
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startError = ex;
            started.countDown();
        }
    }

    @Override
    public void close() {
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
