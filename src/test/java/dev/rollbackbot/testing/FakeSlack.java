package dev.rollbackbot.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack's Web API faked by a local WireMock server that records every call: {@code chat.postMessage} answers
 * with a fresh ts each time, {@code response_url}s are served under {@code /response/}.
 */
public final class FakeSlack implements AutoCloseable {
    private final WireMockServer server;

    public FakeSlack() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new NewTs(), new DmChannel(), new FakeUploads.UploadUrl(),
                new FakeUploads.CompletedFiles())
                .containerThreads(20).jettyAcceptors(1));
        server.start();
        server.stubFor(post(urlPathEqualTo("/api/auth.test")).willReturn(okJson(
                "{\"ok\":true,\"url\":\"https://test.slack.com/\",\"team\":\"Test\",\"user\":\"rollback-bot\","
                        + "\"team_id\":\"T0TEST\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}")));
        server.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(aResponse().withTransformers(NewTs.NAME)));
        server.stubFor(post(urlPathEqualTo("/api/chat.update")).willReturn(okJson("{\"ok\":true}")));
        server.stubFor(post(urlPathEqualTo("/api/usergroups.users.list")).willReturn(okJson("{\"ok\":true,\"users\":[]}")));
        // DMs for pages: the DM channel of user U... is D + U...; a card's link is a fixed archive URL plus its ts
        server.stubFor(post(urlPathEqualTo("/api/conversations.open")).willReturn(aResponse().withTransformers(DmChannel.NAME)));
        server.stubFor(post(urlPathEqualTo("/api/chat.getPermalink")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C0TEST\",\"permalink\":\"https://test.slack.com/archives/C0TEST/p1\"}")));
        // the external upload flow: an upload URL on this server, the bytes POSTed to it, the completion
        server.stubFor(post(urlPathEqualTo("/api/files.getUploadURLExternal")).willReturn(aResponse().withTransformers(FakeUploads.UploadUrl.NAME)));
        server.stubFor(post(urlPathMatching("/upload/F[A-Z0-9]+")).willReturn(aResponse().withStatus(200).withBody("OK")));
        server.stubFor(post(urlPathEqualTo("/api/files.completeUploadExternal"))
                .willReturn(aResponse().withTransformers(FakeUploads.CompletedFiles.NAME)));
        server.stubFor(any(urlPathMatching("/response/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    public String newResponseUrl() {
        return server.baseUrl() + "/response/" + UUID.randomUUID();
    }

    public void groupMembers(String groupId, String... users) {
        server.stubFor(post(urlPathEqualTo("/api/usergroups.users.list")).withRequestBody(containing("usergroup=" + groupId))
                .willReturn(okJson("{\"ok\":true,\"users\":[" + String.join(",",
                        java.util.Arrays.stream(users).map(u -> "\"" + u + "\"").toList()) + "]}")));
    }

    /**
     * Makes {@code apps.connections.open} (Socket Mode's "give me a WebSocket URL") answer {@code url}, to callers
     * that present {@code appToken}; anything else gets WireMock's 404, as a wrong token would fail with Slack.
     */
    public void socketModeUrl(String appToken, String url) {
        server.stubFor(post(urlPathEqualTo("/api/apps.connections.open"))
                .withHeader("Authorization", equalTo("Bearer " + appToken))
                .willReturn(okJson("{\"ok\":true,\"url\":\"" + url + "\"}")));
    }

    /** Makes {@code apps.connections.open} answer a Slack error such as {@code invalid_auth}, whatever the token. */
    public void refuseSocketMode(String error) {
        server.stubFor(post(urlPathEqualTo("/api/apps.connections.open"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));
    }

    /** Makes {@code apps.connections.open} answer with an HTTP error status such as 503, whatever the token. */
    public void failSocketMode(int httpStatus) {
        server.stubFor(post(urlPathEqualTo("/api/apps.connections.open")).willReturn(aResponse().withStatus(httpStatus)));
    }

    /** Makes {@code auth.test} answer with a Slack error such as {@code invalid_auth}. */
    public void rejectToken(String error) {
        server.stubFor(post(urlPathEqualTo("/api/auth.test")).willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));
    }

    /** Makes {@code chat.postMessage} answer with a Slack error such as {@code channel_not_found}. */
    public void failPosts(String error) {
        server.stubFor(post(urlPathEqualTo("/api/chat.postMessage"))
                .willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));
    }

    /** Makes {@code method} (e.g. {@code files.getUploadURLExternal}) answer with a Slack error such as {@code missing_scope}. */
    public void failMethod(String method, String error) {
        server.stubFor(post(urlPathEqualTo("/api/" + method)).willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));
    }

    /**
     * A file the bot uploaded: what {@code files.getUploadURLExternal} was asked (name, length), the bytes that reached
     * the upload URL (null if none did), and the {@code files.completeUploadExternal} call naming its id (null if none).
     */
    public record Upload(String fileId, SlackCall urlRequest, byte[] bytes, SlackCall completion) {
        public String filename() {
            return urlRequest.param("filename");
        }

        public long length() {
            return Long.parseLong(urlRequest.param("length"));
        }
    }

    /** Every upload the bot started, oldest first. */
    public List<Upload> uploads() {
        List<Upload> out = new ArrayList<>();
        List<ServeEvent> all = events();
        for (ServeEvent e : all) {
            if (!e.getRequest().getUrl().startsWith("/api/files.getUploadURLExternal")) {
                continue;
            }
            String id = fileIdOf(e.getResponse().getBodyAsString());
            if (id == null) {
                continue;
            }
            byte[] bytes = all.stream().filter(b -> b.getRequest().getUrl().equals("/upload/" + id)).findFirst()
                    .map(b -> b.getRequest().getBody()).orElse(null);
            SlackCall completion = calls("files.completeUploadExternal").stream()
                    .filter(c -> c.param("files") != null && c.param("files").contains("\"" + id + "\"")).findFirst().orElse(null);
            out.add(new Upload(id, new SlackCall("files.getUploadURLExternal", form(e.getRequest().getBodyAsString())), bytes, completion));
        }
        return out;
    }

    private static String fileIdOf(String json) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            return node.path("ok").asBoolean() ? node.path("file_id").asText(null) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Every Web API call of {@code method}, oldest first. */
    public List<SlackCall> calls(String method) {
        List<SlackCall> out = new ArrayList<>();
        for (ServeEvent e : events()) {
            String path = e.getRequest().getUrl();
            if (path.startsWith("/api/" + method)) {
                out.add(new SlackCall(method, form(e.getRequest().getBodyAsString())));
            }
        }
        return out;
    }

    /** Top-level channel messages (approval cards). */
    public List<SlackCall> cards() {
        return calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") == null).toList();
    }

    public List<SlackCall> threadReplies(String ts) {
        return calls("chat.postMessage").stream().filter(c -> ts.equals(c.param("thread_ts"))).toList();
    }

    /** The texts of the replies in the thread of {@code ts}, one per line, oldest first. */
    public String thread(String ts) {
        return String.join("\n", threadReplies(ts).stream().map(SlackCall::text).toList());
    }

    public List<SlackCall> updates(String ts) {
        return calls("chat.update").stream().filter(c -> ts.equals(c.param("ts"))).toList();
    }

    /** The JSON bodies the bot sent to response_urls (its ephemeral answers), oldest first. */
    public List<String> responses() {
        return events().stream().filter(e -> e.getRequest().getUrl().startsWith("/response/"))
                .map(e -> e.getRequest().getBodyAsString()).toList();
    }

    public List<String> responsesTo(String responseUrl) {
        String path = responseUrl.substring(server.baseUrl().length());
        return events().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .map(e -> e.getRequest().getBodyAsString()).toList();
    }

    /** An approval card the bot posted, with the ts Slack gave it. */
    public record Card(SlackCall call, String ts) {
    }

    /** Top-level messages with the ts each was given, oldest first. */
    public List<Card> postedCards() {
        List<Card> out = new ArrayList<>();
        for (ServeEvent e : events()) {
            if (!e.getRequest().getUrl().startsWith("/api/chat.postMessage")) {
                continue;
            }
            Map<String, String> params = form(e.getRequest().getBodyAsString());
            String ts = tsOf(e.getResponse().getBodyAsString());
            if (params.get("thread_ts") == null && ts != null) {
                out.add(new Card(new SlackCall("chat.postMessage", params), ts));
            }
        }
        return out;
    }

    private static String tsOf(String json) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            return node.path("ok").asBoolean() ? node.path("ts").asText(null) : null;
        } catch (Exception e) {
            return null;
        }
    }

    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    private List<ServeEvent> events() {
        List<ServeEvent> all = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(all);
        return all;
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Answers conversations.open with the DM channel {@code D<user>} of the one user asked for. */
    private static final class DmChannel implements ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-dm-channel";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String users = form(event.getRequest().getBodyAsString()).getOrDefault("users", "U0NOBODY");
            return ResponseDefinition.okForJson(Map.of("ok", true, "channel", Map.of("id", "D" + users)));
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** Answers chat.postMessage like Slack: the channel it was posted in and a new, increasing ts. */
    private static final class NewTs implements ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-new-ts";
        private final AtomicLong next = new AtomicLong(1_700_000_000_000_100L);

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            long n = next.incrementAndGet();
            String ts = (n / 1_000_000) + "." + String.format("%06d", n % 1_000_000);
            String channel = form(event.getRequest().getBodyAsString()).getOrDefault("channel", "C0TEST");
            return ResponseDefinition.okForJson(Map.of("ok", true, "channel", channel, "ts", ts,
                    "message", Map.of("type", "message", "ts", ts)));
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
