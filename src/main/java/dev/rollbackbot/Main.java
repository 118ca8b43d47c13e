package dev.rollbackbot;

import dev.rollbackbot.app.Environment;
import dev.rollbackbot.app.Options;
import dev.rollbackbot.app.RollbackBot;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigException;
import dev.rollbackbot.config.ConfigLoader;
import java.util.concurrent.CountDownLatch;

/** Starts the bot from the environment and the configuration file; SIGTERM stops it gracefully. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Environment env;
        BotConfig config;
        try {
            env = Environment.from(System.getenv());
            config = ConfigLoader.load(env.configFile());
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("rollback-bot cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        RollbackBot bot;
        try {
            bot = RollbackBot.start(env, config, Options.defaults().withShutdownGrace(env.shutdownGrace()));
        } catch (Exception e) {
            System.err.println("rollback-bot cannot start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bot.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
