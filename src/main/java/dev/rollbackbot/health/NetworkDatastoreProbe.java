package dev.rollbackbot.health;

import dev.rollbackbot.config.DatastoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Checks a datastore over the network at its configured host and port. */
public final class NetworkDatastoreProbe implements DatastoreProbe {
    private static final int TIMEOUT_MS = 3_000;

    @Override
    public Answer check(DatastoreConfig d) {
        return switch (d.type()) {
            case POSTGRES -> postgres(d);
            case REDIS -> redis(d);
        };
    }

    private static Answer postgres(DatastoreConfig d) {
        String host = d.host().orElseThrow();
        String url = "jdbc:postgresql://" + host + ":" + d.port() + "/" + d.database();
        Properties p = new Properties();
        p.setProperty("user", d.user());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "3");
        p.setProperty("loginTimeout", "3");
        try (Connection c = DriverManager.getConnection(url, p)) {
            c.createStatement().execute("select 1");
            return new Answer(true, "PostgreSQL at " + host + ":" + d.port() + " accepts connections (database " + d.database() + ")");
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                return new Answer(true, "PostgreSQL at " + host + ":" + d.port() + " accepts connections, but refused user "
                        + d.user() + " (" + state + "): check the credentials");
            }
            return new Answer(false, "PostgreSQL at " + host + ":" + d.port() + " does not accept connections: "
                    + firstLine(e.getMessage()));
        }
    }

    private static Answer redis(DatastoreConfig d) {
        String host = d.host().orElseThrow();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, d.port()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String line = readLine(s.getInputStream());
            if (line.equals("+PONG")) {
                return new Answer(true, "Redis at " + host + ":" + d.port() + " answered PONG");
            }
            if (line.startsWith("-NOAUTH")) {
                return new Answer(true, "Redis at " + host + ":" + d.port() + " answers but wants a password (NOAUTH); it is up");
            }
            return new Answer(false, "Redis at " + host + ":" + d.port() + " answered '" + line + "' instead of PONG");
        } catch (IOException e) {
            return new Answer(false, "Redis at " + host + ":" + d.port() + " did not answer: "
                    + (e instanceof java.net.ConnectException ? "connection refused" : e.getMessage()));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && sb.length() < 200) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
