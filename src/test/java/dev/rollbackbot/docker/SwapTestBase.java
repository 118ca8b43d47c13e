package dev.rollbackbot.docker;

import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.testing.FakeEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the container swap's tests start from: an in-memory engine with api running v2 (older image v1 beside it), a
 * health endpoint that answers for v1, and {@link #swap()} rolling api back to v1 for INC-7, its checkpoints kept.
 */
abstract class SwapTestBase {
    static final String V1 = "registry/api:1.0";
    static final String V2 = "registry/api:2.0";

    FakeEngine engine;
    FakeEngine.HealthEndpoint health;
    String oldId;
    String v1Id;
    String v2Id;
    final List<String> checkpoints = new ArrayList<>();

    @BeforeEach
    void start() {
        engine = new FakeEngine();
        v1Id = engine.addImage(Instant.parse("2026-11-01T00:00:00Z"), V1);
        v2Id = engine.addImage(Instant.parse("2026-11-20T00:00:00Z"), V2);
        oldId = engine.addContainer("api", V2, true);
        health = engine.healthEndpoint("api", V1);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    ContainerSwap swap() {
        ServiceConfig s = ConfigLoader.parse("swap.yml", """
                slack: {channel: C0OPS}
                services:
                  api: {platform: docker, container: api, health-url: %s, ready-timeout: 2s}
                """.formatted(health.url())).service("api").orElseThrow();
        ContainerSwap swap = new ContainerSwap(engine, new HttpHealthCheck(Clock.systemUTC()), s, "INC-7",
                new ContainerSwap.Target(V2, Optional.of(new Pin(v2Id)), V1, Optional.of(new Pin(v1Id))), () -> { });
        swap.checkpointTo(checkpoints::add);
        return swap;
    }
}
