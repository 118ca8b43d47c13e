package dev.rollbackbot.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.model.block.Blocks;
import com.slack.api.model.block.composition.BlockCompositions;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.slack.SlackCallException;
import dev.rollbackbot.slack.SlackGateway;
import dev.rollbackbot.slack.SlackMessage;
import dev.rollbackbot.testing.SlackApiSpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's Web API stand-in answers as Slack does: every method the bot calls answers {@code ok} to the bot's own
 * client, successes and errors conform to Slack's OpenAPI description of the method (test resource), and the errors are
 * the codes Slack uses for the same mistakes.
 */
class ConsoleWebApiTest {
    private static final String TOKEN = "xoxb-console-test";
    private static final String CHANNEL = "C0ROLLBACKS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Server server;
    private static Console console;
    private static String api;
    private static SlackApiSpec spec;

    @BeforeAll
    static void start() throws Exception {
        spec = SlackApiSpec.load();
        server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setPort(0);
        server.addConnector(http);
        http.open();
        console = new Console(ConfigLoader.parse("console.yml", """
                slack: {channel: %s}
                approvals: {approvers: [U0LEAD, S0ONCALL]}
                escalation:
                  levels:
                    - {name: L1, role: DevOps Engineer, notify: [U0DEVOPS], respond-within: 15m}
                services:
                  web: {platform: docker, container: web, health-url: http://127.0.0.1:1/health}
                """.formatted(CHANNEL)), "secret", TOKEN, http.getLocalPort(), Clock.systemUTC());
        ServletContextHandler context = new ServletContextHandler();
        console.install(context);
        server.setHandler(context);
        server.start();
        api = console.apiUrl();
    }

    @AfterAll
    static void stop() throws Exception {
        console.close();
        server.stop();
    }

    @Test
    void everyMethodTheBotCallsAnswersOkAndConformsToSlacksDescription() throws Exception {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        answers.put("auth.test", call("auth.test", Map.of()));
        JsonNode posted = call("chat.postMessage", Map.of("channel", CHANNEL, "text", "card",
                "blocks", "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*card*\"}}]"));
        answers.put("chat.postMessage", posted);
        String ts = posted.path("ts").asText();
        answers.put("chat.postMessage (reply)", call("chat.postMessage", Map.of("channel", CHANNEL, "text", "step 1", "thread_ts", ts)));
        answers.put("chat.update", call("chat.update", Map.of("channel", CHANNEL, "ts", ts, "text", "card, redrawn")));
        answers.put("chat.postEphemeral", call("chat.postEphemeral", Map.of("channel", CHANNEL, "user", "U0LEAD", "text", "psst")));
        answers.put("chat.getPermalink", call("chat.getPermalink", Map.of("channel", CHANNEL, "message_ts", ts)));
        answers.put("conversations.open", call("conversations.open", Map.of("users", "U0DEVOPS")));
        answers.put("usergroups.users.list", call("usergroups.users.list", Map.of("usergroup", "S0ONCALL")));
        answers.put("users.info", call("users.info", Map.of("user", "U0LEAD")));
        JsonNode upload = call("files.getUploadURLExternal", Map.of("filename", "timeline.txt", "length", "5"));
        answers.put("files.getUploadURLExternal", upload);
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("upload_url").asText()))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(200);
        answers.put("files.completeUploadExternal", call("files.completeUploadExternal", Map.of("channel_id", CHANNEL,
                "files", "[{\"id\":\"" + upload.path("file_id").asText() + "\",\"title\":\"INC-1 timeline\"}]")));

        for (var a : answers.entrySet()) {
            String method = a.getKey().split(" ")[0];
            assertThat(a.getValue().path("ok").asBoolean()).as(a.getKey() + " " + a.getValue()).isTrue();
            if (spec.describes(method)) {
                assertThat(spec.problems(method, a.getValue())).as(a.getKey() + " against Slack's schema").isEmpty();
            }
        }
        // the methods Slack's 2021 description leaves out, as their reference pages give them
        assertThat(answers.get("chat.getPermalink").path("permalink").asText()).startsWith("http://localhost:").contains(ts);
        assertThat(answers.get("chat.getPermalink").path("channel").asText()).isEqualTo(CHANNEL);
        assertThat(answers.get("files.getUploadURLExternal").path("file_id").asText()).matches("F[A-Z0-9]{8,}");
        assertThat(answers.get("files.completeUploadExternal").path("files").get(0).path("title").asText()).isEqualTo("INC-1 timeline");
        assertThat(answers.get("chat.postMessage (reply)").path("message").path("thread_ts").asText()).isEqualTo(ts);
        assertThat(answers.get("chat.update").path("text").asText()).isEqualTo("card, redrawn");
        assertThat(answers.get("usergroups.users.list").path("users").get(0).asText()).isEqualTo("US0ONCALL");
        assertThat(answers.keySet()).containsAll(methodsTheBotCalls());
    }

    @Test
    void theBotsOwnClientWorksAgainstItUnchanged() {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(api);
        SlackGateway gateway = new SlackGateway(Slack.getInstance(config), TOKEN);
        gateway.checkToken();
        SlackMessage card = new SlackMessage("INC-9 card", List.of(Blocks.header(h -> h.text(BlockCompositions.plainText("Card")))));
        String ts = gateway.post(CHANNEL, card, null);
        String reply = gateway.post(CHANNEL, SlackMessage.text("step"), ts);
        gateway.update(CHANNEL, ts, new SlackMessage("INC-9 card, done", card.blocks()));

        assertThat(reply).isNotEqualTo(ts);
        assertThat(gateway.openDm("U0DEVOPS")).startsWith("D");
        assertThat(gateway.permalink(CHANNEL, ts)).contains(ts);
        assertThat(gateway.groupMembers("S0ONCALL")).containsExactly("US0ONCALL");
        assertThatThrownBy(() -> gateway.post("C0NOWHERE1", SlackMessage.text("x"), null))
                .isInstanceOf(SlackCallException.class).hasMessageContaining("channel_not_found");
        assertThatThrownBy(() -> new SlackGateway(Slack.getInstance(config), "xoxb-wrong").checkToken())
                .isInstanceOf(SlackCallException.class).hasMessageContaining("invalid_auth");
    }

    @Test
    void theBotsUploadsAreSharedAndThePageGetsAnImageInlineAndMarkdownAsAFile() throws Exception {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(api);
        SlackGateway gateway = new SlackGateway(Slack.getInstance(config), TOKEN);
        String card = gateway.post(CHANNEL, SlackMessage.text("INC-3 card"), null);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);

        String chart = gateway.upload(CHANNEL, null, "durations.png", "Rollback run durations", png.toByteArray(), null);
        String log = gateway.upload(CHANNEL, card, "INC-3.md", "INC-3: manual rollback of web", "# INC-3\n".getBytes(), "📄 The log");

        JsonNode state = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "/state?as=U0LEAD")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode image = null;
        JsonNode markdown = null;
        for (JsonNode m : state.path("messages")) {
            for (JsonNode f : m.path("files")) {
                if (f.path("id").asText().equals(chart)) {
                    image = f;
                    assertThat(m.has("thread_ts")).isFalse();
                }
                if (f.path("id").asText().equals(log)) {
                    markdown = f;
                    assertThat(m.path("thread_ts").asText()).isEqualTo(card);
                    assertThat(m.path("text").asText()).isEqualTo("📄 The log");
                }
            }
        }
        assertThat(image).isNotNull();
        assertThat(image.path("mimetype").asText()).isEqualTo("image/png");
        assertThat(markdown).isNotNull();
        assertThat(markdown.path("mimetype").asText()).isEqualTo("text/markdown");
        assertThat(markdown.path("name").asText()).isEqualTo("INC-3.md");
        HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(URI.create(image.path("url_private").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(served.body()).isEqualTo(png.toByteArray());
    }

    @Test
    void mistakesGetSlacksErrorCodesInSlacksErrorShape() throws Exception {
        String ts = call("chat.postMessage", Map.of("channel", CHANNEL, "text", "card")).path("ts").asText();
        String typed = console.workspace().post(CHANNEL, "U0LEAD", "/rollback help", JSON.createArrayNode(), null, null).ts();
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("chat.postMessage", new Object[] {Map.of("channel", "C0NOWHERE1", "text", "x"), "channel_not_found"});
        cases.put("chat.postMessage ", new Object[] {Map.of("channel", CHANNEL), "no_text"});
        cases.put("chat.update", new Object[] {Map.of("channel", CHANNEL, "ts", "1700000000.000001", "text", "x"), "message_not_found"});
        cases.put("chat.update ", new Object[] {Map.of("channel", CHANNEL, "ts", typed, "text", "x"), "cant_update_message"});
        cases.put("chat.update  ", new Object[] {Map.of("channel", "C0NOWHERE1", "ts", ts, "text", "x"), "channel_not_found"});
        cases.put("chat.postEphemeral", new Object[] {Map.of("channel", CHANNEL, "user", "U0STRANGER", "text", "x"), "user_not_in_channel"});
        cases.put("users.info", new Object[] {Map.of("user", "U0STRANGER"), "user_not_found"});
        cases.put("conversations.open", new Object[] {Map.of(), "users_list_not_supplied"});
        cases.put("conversations.open ", new Object[] {Map.of("users", "U0STRANGER"), "user_not_found"});
        // not in the 2021 description's list, but what Slack answers for a group it does not know
        cases.put("usergroups.users.list", new Object[] {Map.of("usergroup", "S0NOWHERE"), "no_such_subteam"});
        cases.put("chat.getPermalink", new Object[] {Map.of("channel", CHANNEL, "message_ts", "1700000000.000001"), "message_not_found"});
        cases.put("files.completeUploadExternal", new Object[] {Map.of("files", "[{\"id\":\"F0NOWHERE01\"}]"), "file_not_found"});
        cases.put("files.getUploadURLExternal", new Object[] {Map.of("filename", "x.txt"), "invalid_arguments"});
        cases.put("no.suchMethod", new Object[] {Map.of(), "unknown_method"});
        for (var c : cases.entrySet()) {
            String method = c.getKey().strip();
            @SuppressWarnings("unchecked")
            JsonNode answer = call(method, (Map<String, String>) c.getValue()[0]);
            assertThat(answer.path("ok").asBoolean()).as(c.getKey()).isFalse();
            assertThat(answer.path("error").asText()).as(c.getKey()).isEqualTo(c.getValue()[1]);
            if (spec.describes(method) && !method.equals("usergroups.users.list")) {
                assertThat(spec.problems(method, answer)).as(c.getKey() + " against Slack's error schema").isEmpty();
            }
        }
        for (String method : Stream.concat(methodsTheBotCalls().stream(), Stream.of("chat.postEphemeral", "users.info")).toList()) {
            JsonNode none = post(method, Map.of(), null);
            JsonNode wrong = post(method, Map.of(), "xoxb-wrong");
            assertThat(none.path("error").asText()).as(method + " without a token").isEqualTo("not_authed");
            assertThat(wrong.path("error").asText()).as(method + " with a wrong token").isEqualTo("invalid_auth");
            if (spec.describes(method)) {
                assertThat(spec.problems(method, none)).as(method).isEmpty();
                assertThat(spec.problems(method, wrong)).as(method).isEmpty();
            }
        }
    }

    /** The Web API methods named in the bot's Slack edge ({@code call("<method>", ...)}), read from its sources. */
    static Set<String> methodsTheBotCalls() throws Exception {
        Set<String> out = new TreeSet<>(Set.of("auth.test")); // Bolt's app.start() and SlackGateway.checkToken
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/rollbackbot/slack"))) {
            for (Path f : files.toList()) {
                Matcher m = Pattern.compile("call\\(\"([a-zA-Z.]+)\"").matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        assertThat(out).as("methods found in the sources").contains("chat.postMessage", "chat.update");
        return out;
    }

    private static JsonNode call(String method, Map<String, String> params) throws Exception {
        return post(method, params, TOKEN);
    }

    /** A form-encoded POST with the token as a bearer header, as the Slack SDK sends every call; Slack's answer is 200. */
    private static JsonNode post(String method, Map<String, String> params, String token) throws Exception {
        String body = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + method))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " HTTP status").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }
}
