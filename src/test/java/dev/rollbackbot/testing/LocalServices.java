package dev.rollbackbot.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The PostgreSQL and Redis this machine runs on their standard ports, required like any other service. */
public final class LocalServices {
    private LocalServices() {
    }

    public static void requirePostgres() {
        require("PostgreSQL", 5432);
    }

    public static void requireRedis() {
        require("Redis", 6379);
    }

    private static void require(String name, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        } catch (IOException e) {
            Services.unavailable(name + " at 127.0.0.1:" + port, e.getMessage());
        }
    }
}
