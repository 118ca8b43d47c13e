package dev.rollbackbot.app;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One start of the bot that touches nothing real, so that {@code bin/rollback-bot} can record the classes start-up
 * loads in an AppCDS archive ({@code -XX:ArchiveClassesAtExit}) and later starts map them instead of loading them.
 * It uses the real configuration file, a throw-away H2 database, a free port and a stand-in for Slack's
 * {@code auth.test} on loopback, asks {@code /health} once, stops the bot and exits 0. No container engine, cluster,
 * mail server or Slack workspace is contacted.
 */
public final class ClassDataTraining {
    public static final String FLAG = "--train-class-data";

    private ClassDataTraining() {
    }

    public static void run(Map<String, String> realEnv) throws Exception {
        Path dir = Files.createTempDirectory("rollback-bot-training");
        HttpServer slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/", exchange -> {
            byte[] body = ("{\"ok\":true,\"url\":\"https://training.example/\",\"team\":\"training\",\"user\":\"bot\","
                    + "\"team_id\":\"T0\",\"user_id\":\"U0\",\"bot_id\":\"B0\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        slack.start();
        try {
            Map<String, String> env = new HashMap<>();
            copy(realEnv, env, "ROLLBACK_BOT_CONFIG");
            env.put("SLACK_BOT_TOKEN", "xoxb-class-data-training");
            env.put("SLACK_SIGNING_SECRET", "class-data-training");
            env.put("SLACK_API_URL", "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/");
            env.put("PORT", "0");
            env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("training").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
            Environment environment = Environment.from(env);
            BotConfig config = ConfigLoader.load(environment.configFile());
            try (RollbackBot bot = RollbackBot.start(environment, config, Options.defaults())) {
                askHealth(bot.port());
            }
        } finally {
            slack.stop(0);
            deleteQuietly(dir);
        }
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String name) {
        String value = from.get(name);
        if (value != null) {
            to.put(name, value);
        }
    }

    private static void askHealth(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
