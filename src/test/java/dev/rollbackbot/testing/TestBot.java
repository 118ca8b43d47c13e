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
    private final Map<String, String> env;
    private final CardWatch watch;

    private TestBot(RollbackBot bot, FakeSlack slack, Path dataDir, Map<String, String> env) {
        this.bot = bot;
        this.slack = slack;
        this.dataDir = dataDir;
        this.env = Map.copyOf(env);
        this.sender = new SlackSender(URI.create("http://127.0.0.1:" + bot.port() + "/slack/events"), SECRET, slack);
        this.watch = new CardWatch(slack, WAIT);
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
        return new TestBot(RollbackBot.start(Environment.from(env), config, options), slack, dir, env);
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
        return watch.awaitCard(target, nth);
    }

    /** The incident number shown on the card posted at {@code ts}. */
    public long incidentOf(String ts) {
        return watch.incidentOf(ts);
    }

    /** Waits until some thread reply of the card contains {@code text}. */
    public void awaitReply(String ts, String text) {
        watch.awaitReply(ts, text);
    }

    /** Waits until the card was last redrawn with {@code text} in it. */
    public void awaitCardShows(String ts, String text) {
        watch.awaitCardShows(ts, text);
    }

    /** Waits for an ephemeral answer to {@code responseUrl} and returns it. */
    public String awaitResponse(String responseUrl) {
        return watch.awaitResponse(responseUrl);
    }

    public static <T> T eventually(Supplier<T> value, java.util.function.Predicate<T> ok, String what) {
        return await().atMost(WAIT).alias(what).until(value::get, ok::test);
    }

    /** How long {@link #stays} watches for something that must not happen (a second answer, a row, a call). */
    public static final Duration QUIET = Duration.ofMillis(1500);

    /** The tables a Slack request can change. */
    public static final List<String> TABLES = List.of("incidents", "incident_events", "approvals", "deliveries");

    /**
     * Passes once {@code assertion} has held for {@link #QUIET} without a break, failing after {@link #WAIT} more:
     * for "exactly one", "none" and "unchanged", which only a wait can tell from "not yet".
     */
    public static void stays(String what, org.awaitility.core.ThrowingRunnable assertion) {
        await().alias(what).pollInterval(Duration.ofMillis(50)).during(QUIET).atMost(QUIET.plus(WAIT)).untilAsserted(assertion);
    }

    /** The JDBC URL of this bot's database (its own H2 file, or the one it was given). */
    public String databaseUrl() {
        return env.get("DATABASE_URL");
    }

    /**
     * A new connection to this bot's database, for reading it with plain SQL. For the embedded H2 file database this
     * is a second connection to the same open database in this JVM (H2 shares it when the URL is the same).
     */
    public java.sql.Connection openDatabase() throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        if (env.get("DATABASE_USER") != null) {
            p.setProperty("user", env.get("DATABASE_USER"));
        }
        if (env.get("DATABASE_PASSWORD") != null) {
            p.setProperty("password", env.get("DATABASE_PASSWORD"));
        }
        return java.sql.DriverManager.getConnection(databaseUrl(), p);
    }

    /** The single number a query such as {@code select count(*) from incidents where target = ?} gives. */
    public long count(String sql, Object... args) {
        try (var c = openDatabase(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the bot's database (" + sql + "): " + e.getMessage(), e);
        }
    }

    /** Rows per table of {@link #TABLES}. */
    public Map<String, Long> rowCounts() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String t : TABLES) {
            out.put(t, count("select count(*) from " + t));
        }
        return out;
    }

    /**
     * Every row of every table of {@link #TABLES}, each row as text, in a stable order: equal snapshots mean nothing
     * was added, changed or removed.
     */
    public Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        try (var c = openDatabase(); var st = c.createStatement()) {
            for (String t : TABLES) {
                List<String> rows = new java.util.ArrayList<>();
                try (var rs = st.executeQuery("select * from " + t + " order by 1, 2")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(i == 1 ? "" : " | ").append(rs.getMetaData().getColumnLabel(i).toLowerCase())
                                    .append('=').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
                out.put(t, rows);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the bot's database: " + e.getMessage(), e);
        }
        return out;
    }

    /** {@code GET /metrics}, parsed; fails the test on another status or a malformed scrape. */
    public PrometheusText metrics() {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
            }
            return PrometheusText.parse(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
