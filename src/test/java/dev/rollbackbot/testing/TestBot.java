package dev.rollbackbot.testing;

import static org.awaitility.Awaitility.await;

import dev.rollbackbot.app.Environment;
import dev.rollbackbot.app.Options;
import dev.rollbackbot.app.RollbackBot;
import dev.rollbackbot.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A bot started through the same wiring as {@code main}, on a free port, with a fake Slack, an H2 database of
 * its own (or the given URL) and the test engine; driven over HTTP only, as Slack does.
 */
public final class TestBot implements AutoCloseable {
    public static final String SECRET = "test-signing-secret";
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final RollbackBot bot;
    private final FakeSlack slack;
    private final SlackSender sender;
    private final Path dataDir;

    private TestBot(RollbackBot bot, FakeSlack slack, Path dataDir) {
        this.bot = bot;
        this.slack = slack;
        this.dataDir = dataDir;
        this.sender = new SlackSender(URI.create("http://127.0.0.1:" + bot.port() + "/slack/events"), SECRET, slack);
    }

    public static TestBot start(String configYaml, FakeSlack slack, String dockerHost) throws Exception {
        return start(configYaml, slack, dockerHost, (String) null, Options.defaults());
    }

    public static TestBot start(String configYaml, FakeSlack slack, String dockerHost, TestDatabases.TestDatabase db)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", db.url());
        if (db.user() != null) {
            env.put("DATABASE_USER", db.user());
        }
        if (db.password() != null) {
            env.put("DATABASE_PASSWORD", db.password());
        }
        return start(configYaml, slack, dockerHost, env, Options.defaults());
    }

    public static TestBot start(String configYaml, FakeSlack slack, String dockerHost, String databaseUrl, Options options)
            throws Exception {
        return start(configYaml, slack, dockerHost, databaseUrl == null ? Map.of() : Map.of("DATABASE_URL", databaseUrl), options);
    }

    /**
     * A bot in Socket Mode: {@code SLACK_APP_TOKEN} is {@code appToken}; without a signing secret when
     * {@code signingSecret} is false (set blank, which the environment reads as unset), so HTTP mode is off.
     */
    /** A bot with extra environment, e.g. {@code SLACK_API_URL} at a port nothing listens on. */
    public static TestBot startWithEnv(String configYaml, FakeSlack slack, String dockerHost, Map<String, String> env)
            throws Exception {
        return start(configYaml, slack, dockerHost, env, Options.defaults());
    }

    public static TestBot startSocketMode(String configYaml, FakeSlack slack, String dockerHost, String appToken,
            boolean signingSecret) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_APP_TOKEN", appToken);
        if (!signingSecret) {
            env.put("SLACK_SIGNING_SECRET", "");
        }
        return start(configYaml, slack, dockerHost, env, Options.defaults());
    }

    private static TestBot start(String configYaml, FakeSlack slack, String dockerHost, Map<String, String> extraEnv,
            Options options) throws Exception {
        Path dir = Files.createTempDirectory("rollback-bot-test");
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_SIGNING_SECRET", SECRET);
        env.put("SLACK_BOT_TOKEN", "xoxb-test-token");
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents"));
        env.putAll(extraEnv);
        if (dockerHost != null) {
            env.put("DOCKER_HOST", dockerHost);
        }
        var config = ConfigLoader.parse("test-config.yml", configYaml);
        return new TestBot(RollbackBot.start(Environment.from(env), config, options), slack, dir);
    }

    public SlackSender slack() {
        return sender;
    }

    public FakeSlack fake() {
        return slack;
    }

    public int port() {
        return bot.port();
    }

    /** Waits for the first approval card of {@code target} and returns its ts. */
    public String awaitCard(String target) {
        return awaitCard(target, 0);
    }

    /** Waits for the n-th (0-based) approval card of {@code target} and returns its ts. */
    public String awaitCard(String target, int nth) {
        String needle = "rollback of " + target + " requested";
        await().atMost(WAIT).alias("approval card #" + nth + " for " + target).until(() ->
                slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).count() > nth);
        return slack.postedCards().stream().filter(c -> c.call().text().contains(needle)).toList().get(nth).ts();
    }

    /** The incident number shown on the card posted at {@code ts}. */
    public long incidentOf(String ts) {
        String text = slack.postedCards().stream().filter(c -> c.ts().equals(ts)).findFirst().orElseThrow().call().text();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("INC-(\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no incident id on card: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** Waits until some thread reply of the card contains {@code text}. */
    public void awaitReply(String ts, String text) {
        await().atMost(WAIT).alias("a reply containing '" + text + "' in thread " + ts)
                .until(() -> slack.threadReplies(ts).stream().anyMatch(c -> c.text().contains(text)));
    }

    /** Waits until the card was last redrawn with {@code text} in it. */
    public void awaitCardShows(String ts, String text) {
        await().atMost(WAIT).alias("card " + ts + " showing '" + text + "'").until(() -> {
            List<SlackCall> u = slack.updates(ts);
            return !u.isEmpty() && u.get(u.size() - 1).all().contains(text);
        });
    }

    /** Waits for an ephemeral answer to {@code responseUrl} and returns it. */
    public String awaitResponse(String responseUrl) {
        await().atMost(WAIT).alias("an answer at " + responseUrl).until(() -> !slack.responsesTo(responseUrl).isEmpty());
        return String.join("\n", slack.responsesTo(responseUrl).stream().map(Json::texts).toList());
    }

    public static <T> T eventually(Supplier<T> value, java.util.function.Predicate<T> ok, String what) {
        return await().atMost(WAIT).alias(what).until(value::get, ok::test);
    }

    @Override
    public void close() {
        bot.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp files
        }
    }
}
