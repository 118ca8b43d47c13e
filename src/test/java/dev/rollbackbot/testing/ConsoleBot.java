package dev.rollbackbot.testing;

import dev.rollbackbot.app.Environment;
import dev.rollbackbot.app.Options;
import dev.rollbackbot.app.RollbackBot;
import dev.rollbackbot.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A bot started as {@code bin/rollback-bot} starts it with no Slack variables: in console mode, on a free port. */
public final class ConsoleBot implements AutoCloseable {
    private final RollbackBot bot;
    private final String botToken;

    private ConsoleBot(RollbackBot bot, String botToken) {
        this.bot = bot;
        this.botToken = botToken;
    }

    public static ConsoleBot start(String configYaml, String dockerHost) throws Exception {
        Path dir = Files.createTempDirectory("rollback-bot-console");
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("incidents"));
        if (dockerHost != null) {
            env.put("DOCKER_HOST", dockerHost);
        }
        Environment e = Environment.from(env);
        if (!e.console()) {
            throw new IllegalStateException("not in console mode");
        }
        return new ConsoleBot(RollbackBot.start(e, ConfigLoader.parse("console-test.yml", configYaml), Options.defaults()),
                e.botToken());
    }

    public int port() {
        return bot.port();
    }

    /** The token the console made up for the bot: what its Web API stand-in accepts. */
    public String botToken() {
        return botToken;
    }

    /** Where the console's Web API stand-in answers (as the bot calls it). */
    public String apiUrl() {
        return "http://127.0.0.1:" + bot.port() + "/console/api/";
    }

    public String url() {
        return "http://localhost:" + bot.port() + "/console";
    }

    @Override
    public void close() {
        bot.close();
    }
}
