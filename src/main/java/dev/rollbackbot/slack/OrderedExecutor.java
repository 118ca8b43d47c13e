package dev.rollbackbot.slack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tasks in submission order per key (one incident's messages), and keys in parallel on a small pool. */
final class OrderedExecutor {
    private static final Logger log = LoggerFactory.getLogger(OrderedExecutor.class);

    private final ExecutorService pool;
    private final Map<Long, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    OrderedExecutor(int threads, String name) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void submit(long key, Runnable task) {
        CompletableFuture<Void> next = tails.compute(key, (k, tail) -> {
            CompletableFuture<Void> prev = tail == null ? CompletableFuture.completedFuture(null) : tail;
            return prev.thenRunAsync(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("INC-{}: a Slack update failed: {}", k, e.toString());
                }
            }, pool);
        });
        // outside compute: a task that already finished runs this callback on this very thread
        next.whenComplete((v, e) -> tails.remove(key, next));
    }

    /** Waits up to {@code timeout} for queued messages, then stops. */
    void shutdown(Duration timeout) {
        CompletableFuture<?>[] pending = tails.values().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("{} Slack updates were still queued at shutdown", pending.length);
        }
        pool.shutdownNow();
    }
}
