package dev.rollbackbot.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker-java client of one engine, built on first use (loading docker-java is kept off the start-up path), where
 * that engine is, and each call made through {@link EngineErrors} so that a failure names the engine and what was asked.
 */
final class EngineConnection implements AutoCloseable {
    /** Logged under the facade's name, as before the split. */
    private static final Logger log = LoggerFactory.getLogger(DockerJavaEngine.class);

    /** The client and what uses it. */
    private record Connected(DockerClient client, Replacements replacements, String host) {
    }

    private final String requestedHost;
    private volatile Connected connected;

    /** {@code requestedHost} null means docker-java's default. */
    EngineConnection(String requestedHost) {
        this.requestedHost = requestedHost;
    }

    private Connected connected() {
        Connected c = connected;
        if (c == null) {
            synchronized (this) {
                c = connected;
                if (c == null) {
                    DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder();
                    if (requestedHost != null) {
                        b.withDockerHost(requestedHost);
                    }
                    DockerClientConfig config = b.build();
                    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                            .dockerHost(config.getDockerHost())
                            .sslConfig(config.getSSLConfig())
                            .maxConnections(32)
                            .connectionTimeout(Duration.ofSeconds(3))
                            .responseTimeout(Duration.ofSeconds(90))
                            .build();
                    DockerClient client = DockerClientImpl.getInstance(config, http);
                    c = new Connected(client, new Replacements(client), config.getDockerHost().toString());
                    connected = c;
                }
            }
        }
        return c;
    }

    DockerClient client() {
        return connected().client();
    }

    Replacements replacements() {
        return connected().replacements();
    }

    /** The engine's address: the connected one, else the requested one, else DOCKER_HOST, else Docker's default. */
    String describe() {
        Connected c = connected;
        if (c != null) {
            return c.host();
        }
        String env = System.getenv("DOCKER_HOST");
        return requestedHost != null ? requestedHost : env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
    }

    /** Runs {@code action}, its failures translated into {@link EngineException}s that say they were to {@code what}. */
    <T> T call(String what, Supplier<T> action) {
        return EngineErrors.translate(what, this::describe, action);
    }

    @Override
    public void close() {
        Connected c = connected;
        if (c == null) {
            return;
        }
        try {
            c.client().close();
        } catch (IOException e) {
            log.debug("closing the engine client", e);
        }
    }
}
