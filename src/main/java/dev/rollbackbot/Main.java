package dev.rollbackbot;

import dev.rollbackbot.app.ClassDataTraining;
import dev.rollbackbot.app.Environment;
import dev.rollbackbot.app.Options;
import dev.rollbackbot.app.RollbackBot;
import dev.rollbackbot.common.Errors;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigException;
import dev.rollbackbot.config.ConfigLoader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;

/** Starts the bot from the environment and the configuration file; SIGTERM stops it gracefully. */
public final class Main {
    private static final String CANNOT_START = "rollback-bot cannot start: ";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(ClassDataTraining.FLAG)) {
            ClassDataTraining.run(System.getenv());
            System.exit(0);
            return;
        }
        Environment env;
        BotConfig config;
        try {
            env = Environment.from(System.getenv());
            config = ConfigLoader.load(env.configFile());
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println(CANNOT_START + e.getMessage());
            System.exit(2);
            return;
        }
        RollbackBot bot;
        try {
            bot = RollbackBot.start(env, config, Options.defaults().withShutdownGrace(env.shutdownGrace()));
        } catch (Exception e) {
            System.exit(reportStartFailure(e, env.port(), System.err));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bot.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /**
     * Says why start-up failed and gives the exit status. An expected failure (a token Slack refused, a database that
     * cannot be opened, a port in use, ...) is one line that already says what is wrong and what to check: no stack
     * trace. Anything else is a bug or a surprise: a clear first line, then the stack trace for whoever reports it.
     */
    public static int reportStartFailure(Throwable e, int port, PrintStream err) {
        if (causedBy(e, BindException.class)) {
            err.println(CANNOT_START + "port " + port + " is in use (" + Errors.rootMessage(e)
                    + "): stop what listens there or set PORT to a free port");
        } else if (expected(e)) {
            err.println(CANNOT_START + e.getMessage());
        } else {
            err.println(CANNOT_START + "unexpected " + Errors.rootDescription(e) + " (stack trace below)");
            e.printStackTrace(err);
        }
        return 1;
    }

    private static boolean expected(Throwable e) {
        return (e instanceof IllegalStateException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof ConfigException)
                && e.getMessage() != null && !e.getMessage().isBlank();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
