package dev.rollbackbot.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Start-up work done in parallel, joined with its own exception (so messages and their kinds survive). */
final class Boot {
    private Boot() {
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
