package dev.rollbackbot.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/** A tiny HTTP server on 127.0.0.1 that answers 200 on every path, each answer {@code delay} late (a slow service). */
public final class SlowServer implements AutoCloseable {
    private final HttpServer server;

    public SlowServer(Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            LockSupport.parkNanos(delay.toNanos()); // the slowness itself is what this server is for
            byte[] body = "slow ok\n".getBytes();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
