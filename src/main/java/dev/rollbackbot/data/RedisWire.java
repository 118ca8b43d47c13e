package dev.rollbackbot.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One connection to Redis speaking RESP: commands as arrays of bulk strings, replies as text (arrays as lists). */
final class RedisWire implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisWire(String host, int port, int timeoutMs) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The reply: a String (simple, bulk or integer as text), a List for arrays, null for a nil; an error is an IOException. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] v = a.getBytes(StandardCharsets.UTF_8);
            b.write(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(v);
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        return reply();
    }

    String text(String... args) throws IOException {
        Object r = call(args);
        return r == null ? "" : r.toString();
    }

    private Object reply() throws IOException {
        String line = line();
        if (line.isEmpty()) {
            throw new IOException("Redis closed the connection");
        }
        char t = line.charAt(0);
        String rest = line.substring(1);
        switch (t) {
            case '+', ':':
                return rest;
            case '-':
                throw new IOException(rest);
            case '$': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] v = in.readNBytes(n + 2);
                return new String(v, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(rest);
                List<Object> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    all.add(reply());
                }
                return all;
            }
            default:
                throw new IOException("unexpected reply from Redis: " + line);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
