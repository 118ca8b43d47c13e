package dev.rollbackbot.slack;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.incident.DeliveryLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the work behind an acknowledged command or click runs: off Slack's 3-second path, once per delivery
 * (a resent request is dropped), with expected problems answered to the person and bugs logged.
 */
final class Work {
    private static final Logger log = LoggerFactory.getLogger(Work.class);

    private final ExecutorService pool;
    private final DeliveryLog deliveries;
    private final SlackGateway slack;
    private final Clock clock;

    Work(String name, int threads, DeliveryLog deliveries, SlackGateway slack, Clock clock) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.deliveries = deliveries;
        this.slack = slack;
        this.clock = clock;
    }

    @FunctionalInterface
    interface Job {
        void run(Caller who);
    }

    void submit(Caller who, Job job) {
        pool.execute(() -> {
            try {
                if (!deliveries.firstTime(who.deliveryKey(), clock.instant())) {
                    log.info("dropping a repeated delivery {}", who.deliveryKey());
                    return;
                }
                job.run(who);
            } catch (UserError e) {
                slack.respond(who.responseUrl(), SlackMessage.text(SlackText.mrkdwn(e.message())));
            } catch (RuntimeException e) {
                log.error("handling {} for {} failed", who.deliveryKey(), who.userId(), e);
                slack.respond(who.responseUrl(), SlackMessage.text("Something went wrong on the bot's side ("
                        + e.getClass().getSimpleName() + "); it is in the bot's log. Check `/rollback status` before trying again."));
            }
        });
    }

    Consumer<SlackMessage> answer(Caller who) {
        return m -> slack.respond(who.responseUrl(), m);
    }

    void shutdown(Duration timeout) {
        pool.shutdown();
        try {
            pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
