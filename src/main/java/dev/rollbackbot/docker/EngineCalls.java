package dev.rollbackbot.docker;

import dev.rollbackbot.rollback.StepFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Engine calls that do not depend on each other, made at the same time: the checks before a swap are four lookups,
 * and renaming the replacement can go on while the old container stops. Each call is a blocking HTTP request to the
 * engine, so they run on their own small pool of daemon threads, never on the common pool.
 */
final class EngineCalls {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "engine-call");
        t.setDaemon(true);
        return t;
    });

    private EngineCalls() {
    }

    static <T> Future<T> start(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, POOL);
    }

    static Future<Void> start(Runnable call) {
        return CompletableFuture.runAsync(call, POOL);
    }

    /**
     * The call's result, or what it threw: a {@link StepFailure} or an {@link EngineException} as it was thrown,
     * anything else wrapped. An interrupted wait cancels nothing already sent to the engine.
     */
    static <T> T await(Future<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
