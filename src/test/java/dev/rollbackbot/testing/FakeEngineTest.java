package dev.rollbackbot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.EngineException;
import dev.rollbackbot.testing.FakeEngine.Event;
import dev.rollbackbot.testing.FakeEngine.Op;
import dev.rollbackbot.testing.FakeEngine.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake engine does what Docker does where the swap depends on it, and its faults fire exactly when asked. */
class FakeEngineTest {
    private static final Duration STOP = Duration.ofSeconds(10);

    private FakeEngine fake;
    private ContainerEngine engine;
    private String v1;
    private String v2;
    private String api;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        fake = new FakeEngine();
        engine = fake;
        v1 = fake.addImage(Instant.parse("2024-01-01T00:00:00Z"), "registry/api:1.0");
        v2 = fake.addImage(Instant.parse("2024-02-01T00:00:00Z"), "registry/api:1.1", "registry/api:latest");
        api = fake.addContainer("api", "registry/api:1.1", true);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        fake.close();
    }

    @Test
    void aSwapByIdsLeavesTheNewImageRunningUnderTheNameAndRecordsEachStepInOrder() {
        String next = engine.createLike("api", "api-next", "registry/api:1.0", v1);
        engine.rename(api, "api-old");
        engine.stop(api, STOP);
        engine.rename(next, "api");
        engine.start(next);
        engine.remove(api);

        assertThat(engine.container("api")).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo(next);
            assertThat(c.image()).isEqualTo("registry/api:1.0");
            assertThat(c.imageId()).isEqualTo(v1);
            assertThat(c.running()).isTrue();
        });
        assertThat(engine.container("api-old")).isEmpty();
        assertThat(engine.container(api)).isEmpty();
        assertThat(fake.changes()).extracting(Event::op, Event::target, Event::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Op.CREATE_LIKE, "api-next", Outcome.OK),
                org.assertj.core.groups.Tuple.tuple(Op.RENAME, api, Outcome.OK),
                org.assertj.core.groups.Tuple.tuple(Op.STOP, api, Outcome.OK),
                org.assertj.core.groups.Tuple.tuple(Op.RENAME, next, Outcome.OK),
                org.assertj.core.groups.Tuple.tuple(Op.START, next, Outcome.OK),
                org.assertj.core.groups.Tuple.tuple(Op.REMOVE, api, Outcome.OK));
        assertThat(fake.events(Op.REMOVE)).allSatisfy(e -> assertThat(e.targetIsId()).as("removed by id: " + e).isTrue());
        assertThat(fake.byId(next).orElseThrow().createdFrom()).isEqualTo(api);
    }

    @Test
    void aRemovalByNameIsRecordedAsByNameWithTheIdItHit() {
        engine.remove("api");
        Event e = fake.events(Op.REMOVE).get(0);
        assertThat(e.target()).isEqualTo("api");
        assertThat(e.resolvedId()).isEqualTo(api);
        assertThat(e.targetIsId()).isFalse();
    }

    @Test
    void createLikeFromAnImageIdReportsTheGivenReferenceAndThatId() {
        String id = fake.createLike("api", "api-next", "registry/api:1.0", v1);
        assertThat(engine.container(id)).hasValueSatisfying(c -> {
            assertThat(c.image()).isEqualTo("registry/api:1.0");
            assertThat(c.imageId()).isEqualTo(v1);
            assertThat(c.running()).isFalse();
        });
    }

    @Test
    void createLikeRefusesATagThatMovedAwayFromTheApprovedImageIdAsTheRealEngineDoes() {
        fake.addImage(Instant.parse("2024-03-01T00:00:00Z"), "registry/api:1.0");
        assertThatThrownBy(() -> fake.createLike("api", "api-next", "registry/api:1.0", v1))
                .isInstanceOf(EngineException.class).hasMessageContaining("moved");
        assertThat(fake.byName("api-next")).isEmpty();
    }

    @Test
    void takenNamesMissingContainersAndStoppedExecsAreRefusedAsDockerDoes() {
        fake.addContainer("api-old", "registry/api:1.0", false);
        assertThatThrownBy(() -> engine.rename(api, "api-old")).isInstanceOf(EngineException.class).hasMessageContaining("in use");
        assertThatThrownBy(() -> engine.createLike("api", "api-old", "registry/api:1.0", v1)).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> engine.createLike("api", "api-x", "registry/api:9.9", "sha256:none")).hasMessageContaining("no such image");
        assertThatThrownBy(() -> engine.start("nope")).hasMessageContaining("no such container");
        assertThatThrownBy(() -> engine.exec("api-old", List.of("true"), STOP)).hasMessageContaining("not running");
        engine.remove("nope"); // already gone is fine, as with DockerJavaEngine
        engine.stop("api-old", STOP); // already stopped is fine
        assertThat(fake.events()).extracting(Event::outcome).containsExactly(Outcome.REFUSED, Outcome.REFUSED,
                Outcome.REFUSED, Outcome.REFUSED, Outcome.REFUSED, Outcome.OK, Outcome.OK);
        assertThat(fake.runningImage("api")).contains("registry/api:1.1");
    }

    @Test
    void failNextFailsOnlyTheNextCallOfThatOperationAndChangesNothing() {
        fake.failNext(Op.STOP, "engine timed out");
        engine.rename(api, "api-old"); // another operation: not affected
        assertThatThrownBy(() -> engine.stop(api, STOP)).isInstanceOf(EngineException.class).hasMessage("engine timed out");
        assertThat(fake.byId(api).orElseThrow().running()).isTrue();
        engine.stop(api, STOP);
        assertThat(fake.byId(api).orElseThrow().running()).isFalse();
        assertThat(fake.events(Op.STOP)).extracting(Event::outcome).containsExactly(Outcome.FAULT, Outcome.OK);
    }

    @Test
    void failNextAfterEffectDoesItAndStillThrows() {
        fake.failNextAfterEffect(Op.RENAME, "connection reset");
        assertThatThrownBy(() -> engine.rename(api, "api-old")).hasMessage("connection reset");
        assertThat(fake.byId(api).orElseThrow().name()).isEqualTo("api-old");
        assertThat(fake.events(Op.RENAME)).extracting(Event::outcome).containsExactly(Outcome.FAULT_AFTER_EFFECT);
    }

    @Test
    void failWhenFailsEveryMatchingTargetUntilCleared() {
        fake.failWhen(Op.REMOVE, t -> t.equals("api"), "permission denied");
        String other = fake.addContainer("worker", "registry/api:1.1", true);
        assertThatThrownBy(() -> engine.remove("api")).hasMessage("permission denied");
        assertThatThrownBy(() -> engine.remove("api")).hasMessage("permission denied");
        engine.remove(other);
        engine.remove(api); // same container, named by id: the rule is about the target as given
        assertThat(engine.container(api)).isEmpty();
        fake.clearFaults();
        engine.remove("api");
        assertThat(fake.events(Op.REMOVE)).extracting(Event::outcome)
                .containsExactly(Outcome.FAULT, Outcome.FAULT, Outcome.OK, Outcome.OK, Outcome.OK);
    }

    @Test
    void aBlockedCallParksBeforeItsEffectWhileOtherCallsGoOnUntilReleased() throws Exception {
        FakeEngine.Block pause = fake.blockNext(Op.STOP);
        Future<?> stopping = threads.submit(() -> engine.stop(api, STOP));
        assertThat(pause.awaitBlocked()).isEqualTo(api);

        // the engine still serves everyone else, and the stop has not happened
        assertThat(CompletableFuture.supplyAsync(() -> engine.container("api"), threads).get(5, TimeUnit.SECONDS))
                .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
        engine.rename(api, "api-old");
        assertThat(stopping.isDone()).as("the stop returned while parked").isFalse();

        pause.release();
        stopping.get(5, TimeUnit.SECONDS);
        assertThat(fake.byId(api).orElseThrow().running()).isFalse();
        assertThat(fake.changes()).extracting(Event::op).containsExactly(Op.RENAME, Op.STOP);
    }

    @Test
    void aCallBlockedAfterItsEffectHasChangedTheEngineBeforeItsCallerHears() throws Exception {
        FakeEngine.Block slowAnswer = fake.blockNextAfterEffect(Op.START);
        engine.stop(api, STOP);
        Future<?> starting = threads.submit(() -> engine.start(api));
        slowAnswer.awaitBlocked();
        assertThat(fake.byId(api).orElseThrow().running()).isTrue();
        assertThat(starting.isDone()).isFalse();
        slowAnswer.release();
        starting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void awaitBlockedFailsAtItsDeadlineWhenNothingIsParked() {
        FakeEngine.Block never = fake.blockNext(Op.EXEC);
        assertThatThrownBy(() -> never.awaitBlocked(Duration.ofMillis(100))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("EXEC");
    }

    @Test
    void manyThreadsCreatingOneNameGetExactlyOneContainer() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> tries = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tries.add(threads.submit(() -> {
                go.await();
                try {
                    return engine.createLike("api", "api-next", "registry/api:1.0", v1);
                } catch (EngineException e) {
                    return null;
                }
            }));
        }
        go.countDown();
        List<String> created = new ArrayList<>();
        for (Future<String> f : tries) {
            String id = f.get(5, TimeUnit.SECONDS);
            if (id != null) {
                created.add(id);
            }
        }
        assertThat(created).hasSize(1);
        assertThat(fake.containers()).filteredOn(c -> c.name().equals("api-next")).hasSize(1);
        assertThat(fake.events(Op.CREATE_LIKE)).extracting(Event::outcome).containsOnlyOnce(Outcome.OK);
    }

    @Test
    void theHealthUrlAnswers200OnlyWhileTheNamedContainerRunsTheHealthyImage() throws Exception {
        FakeEngine.HealthEndpoint health = fake.healthEndpoint("api", "registry/api:1.0");
        assertThat(status(health.url())).isEqualTo(503); // api runs 1.1
        String next = engine.createLike("api", "api-next", "registry/api:1.0", v1);
        engine.rename(api, "api-old");
        engine.stop(api, STOP);
        engine.rename(next, "api");
        assertThat(status(health.url())).isEqualTo(503); // created, not started
        engine.start(next);
        assertThat(status(health.url())).isEqualTo(200);
        health.healthyWhenRunning(v2); // by image id too
        assertThat(status(health.url())).isEqualTo(503);
        health.force(true);
        assertThat(status(health.url())).isEqualTo(200);
        assertThat(health.requests()).isEqualTo(5);
    }

    @Test
    void uncopiedSettingsAreEmptyUnlessConfigured() {
        assertThat(fake.uncopiedSettings("api")).isEmpty();
        fake.setUncopiedSettings(List.of("healthcheck"));
        fake.setUncopiedSettings("api", List.of("devices", "ulimits"));
        assertThat(fake.uncopiedSettings("api")).containsExactly("devices", "ulimits");
        String worker = fake.addContainer("worker", "registry/api:1.1", true);
        assertThat(fake.uncopiedSettings(worker)).containsExactly("healthcheck");
        assertThatThrownBy(() -> fake.uncopiedSettings("nope")).isInstanceOf(EngineException.class);
    }

    @Test
    void imagesAreFoundByTagByImpliedLatestAndById() {
        assertThat(engine.image("registry/api")).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(v2));
        assertThat(engine.image(v1.substring("sha256:".length()))).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(v1));
        assertThat(engine.image("registry/api:0.9")).isEmpty();
        assertThat(engine.images()).extracting(ContainerEngine.ImageInfo::id).containsExactly(v1, v2);
        engine.ping();
        fake.failNext(Op.PING, "engine down");
        assertThatThrownBy(engine::ping).hasMessage("engine down");
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
