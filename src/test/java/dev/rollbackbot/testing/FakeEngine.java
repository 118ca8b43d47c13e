package dev.rollbackbot.testing;

import com.sun.net.httpserver.HttpServer;
import dev.rollbackbot.docker.ContainerEngine;
import dev.rollbackbot.docker.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An in-memory {@link ContainerEngine} for tests of the rollback runner and the container swap: containers and images
 * kept in maps, every call recorded as a typed {@link Event}, and faults injected per operation.
 *
 * <p>Semantics follow the Docker Engine API where the bot depends on them: names are unique ({@link Op#RENAME} and
 * {@link Op#CREATE_LIKE} to a taken name are refused), a container is found by id, by name or by a unique id prefix,
 * stopping a stopped container and removing a missing one are fine (as {@code DockerJavaEngine} treats them), starting
 * a missing container or exec in a stopped one is refused. A refusal is an {@link EngineException}, as from the real
 * engine.
 *
 * <p>Faults: {@link #failNext} (the next call of an operation throws, with no effect), {@link #failNextAfterEffect}
 * (the call takes effect and then throws, like an answer lost on the way back), {@link #failWhen} (every call whose
 * target matches throws), {@link #blockNext} (the next call parks before its effect until released: a GC pause or a
 * slow engine mid-swap). All of it is thread-safe: a parked call holds no lock, so other threads go on using the engine.
 *
 * <p>Health: {@link #healthEndpoint} serves an HTTP health URL that answers 200 only while a named container runs a
 * given image, so a health poll sees what the swap did.
 */
public final class FakeEngine implements ContainerEngine, AutoCloseable {
    /** How long a parked call waits for {@link Block#release()} before giving up (so a failed test cannot hang). */
    public static final Duration MAX_PARK = Duration.ofSeconds(60);

    /** The operations of {@link ContainerEngine}, as recorded and as targets of fault injection. */
    public enum Op {
        PING,
        INSPECT_CONTAINER,
        INSPECT_IMAGE,
        LIST_IMAGES,
        RENAME,
        STOP,
        START,
        REMOVE,
        CREATE_LIKE,
        EXEC,
        UNCOPIED_SETTINGS
    }

    /** What became of a call. */
    public enum Outcome {
        /** It did what was asked (a look-up that found nothing is OK too: the result says so). */
        OK,
        /** The fake engine refused it as Docker would (no such container, name in use, not running). */
        REFUSED,
        /** A fault injected by the test made it fail before its effect. */
        FAULT,
        /** It took effect, then a fault injected by the test made it fail ({@link #failNextAfterEffect}). */
        FAULT_AFTER_EFFECT
    }

    /**
     * One call: the operation, the target exactly as the caller named it (a name or an id), the id of the container
     * (or image) it resolved to when there was one, the outcome, and a detail (the new name of a rename, the image of
     * a create, the id a create returned, the message of a failure).
     */
    public record Event(long seq, Op op, String target, String resolvedId, Outcome outcome, String detail) {
        /** True when the caller named the container by its id (not by its name). */
        public boolean targetIsId() {
            return resolvedId != null && resolvedId.equals(target);
        }

        @Override
        public String toString() {
            return op.name().toLowerCase() + " " + target + (resolvedId != null && !resolvedId.equals(target)
                    ? " (" + shortId(resolvedId) + ")" : "") + " " + outcome + (detail == null ? "" : ": " + detail);
        }
    }

    /** A container as the fake keeps it. */
    public record Container(String id, String name, String image, String imageId, boolean running, String status,
            String createdFrom) {
        ContainerInfo info() {
            return new ContainerInfo(id, name, image, imageId, running, status);
        }
    }

    /** A call parked by {@link #blockNext}: wait until it is parked, then let it go on. */
    public static final class Block {
        private final Op op;
        private final boolean afterEffect;
        private final CountDownLatch parked = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String target;

        private Block(Op op, boolean afterEffect) {
            this.op = op;
            this.afterEffect = afterEffect;
        }

        /** Waits (up to 10 s) until a call is parked inside the operation; returns the target it was called with. */
        public String awaitBlocked() {
            return awaitBlocked(Duration.ofSeconds(10));
        }

        public String awaitBlocked(Duration deadline) {
            try {
                if (!parked.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("no call of " + op + " was parked within " + deadline.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a call of " + op, e);
            }
            return target;
        }

        public boolean isBlocked() {
            return parked.getCount() == 0 && released.getCount() == 1;
        }

        /** Lets the parked call (or the next one, if none is parked yet) continue. */
        public void release() {
            released.countDown();
        }

        private void park(String target) {
            this.target = target;
            parked.countDown();
            try {
                if (!released.await(MAX_PARK.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new EngineException("the fake engine's blocked " + op + " of " + target + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while " + op + " of " + target + " was blocked");
            }
        }
    }

    /** An HTTP health URL that answers 200 while a container runs an image, else 503. */
    public final class HealthEndpoint implements AutoCloseable {
        private final HttpServer server;
        private final String container;
        private volatile String healthyImage;
        private volatile Boolean forced;
        private final AtomicInteger requests = new AtomicInteger();

        private HealthEndpoint(String container, String healthyImage) {
            this.container = container;
            this.healthyImage = healthyImage;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                boolean up = healthy();
                byte[] body = (up ? "ok" : "unhealthy").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(up ? 200 : 503, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        /** {@code http://127.0.0.1:<port>/health}. */
        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
        }

        /** True while the container of that name runs the healthy image (by reference or id), unless forced. */
        public boolean healthy() {
            if (forced != null) {
                return forced;
            }
            Optional<Container> c = byName(container);
            return c.isPresent() && c.get().running()
                    && (healthyImage.equals(c.get().image()) || healthyImage.equals(c.get().imageId()));
        }

        /** Another image becomes the healthy one (e.g. the new version is broken, the old one works). */
        public void healthyWhenRunning(String image) {
            this.healthyImage = image;
        }

        /** Answers 200 ({@code true}) or 503 ({@code false}) whatever runs; {@code null} goes back to watching. */
        public void force(Boolean up) {
            this.forced = up;
        }

        public int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
            endpoints.remove(this);
        }
    }

    private record Fault(String message, boolean afterEffect) {
    }

    private record Rule(Predicate<String> target, String message) {
    }

    private final Object lock = new Object();
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<String, ImageInfo> images = new LinkedHashMap<>();
    private final Map<String, List<String>> uncopied = new HashMap<>();
    /** The user-defined networks of containers, by id (none: the default bridge); a replacement gets its template's. */
    private final Map<String, List<String>> networks = new HashMap<>();
    private List<String> uncopiedByDefault = List.of();
    private Function<List<String>, ExecResult> execAnswer = cmd -> new ExecResult(0, "");

    private final Map<Op, Deque<Fault>> nextFaults = new EnumMap<>(Op.class);
    private final Map<Op, List<Rule>> rules = new EnumMap<>(Op.class);
    private final Map<Op, Deque<Block>> blocks = new EnumMap<>(Op.class);
    private final List<Block> handedOut = new ArrayList<>();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<HealthEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final String where;

    public FakeEngine() {
        this("fake://engine");
    }

    public FakeEngine(String describe) {
        this.where = describe;
    }

    // ---- set-up (not recorded) ----

    /** Adds an image with these tags, created at {@code created}; returns its id ({@code sha256:...}). A tag held by another image moves. */
    public String addImage(Instant created, String... tags) {
        String id = "sha256:" + newHex();
        synchronized (lock) {
            images.put(id, new ImageInfo(id, List.of(), created));
            for (String t : tags) {
                tagLocked(id, t);
            }
        }
        return id;
    }

    /** Points {@code tag} at the image {@code imageId} (taking it from any other image), like {@code docker tag}. */
    public void tag(String imageId, String tag) {
        synchronized (lock) {
            if (!images.containsKey(imageId)) {
                throw new IllegalArgumentException("no image " + imageId);
            }
            tagLocked(imageId, tag);
        }
    }

    /** Removes an image from the engine (containers made from it keep its id, as with Docker's {@code rmi -f}). */
    public void removeImage(String imageId) {
        synchronized (lock) {
            images.remove(imageId);
        }
    }

    /** Adds a container named {@code name} from {@code image} (a tag the engine has); returns its id. */
    public String addContainer(String name, String image, boolean running) {
        synchronized (lock) {
            ImageInfo img = imageLocked(image).orElseThrow(() -> new IllegalArgumentException("no image " + image));
            if (byNameLocked(name).isPresent()) {
                throw new IllegalArgumentException("name " + name + " is in use");
            }
            String id = newHex();
            containers.put(id, new Container(id, name, image, img.id(), running, running ? "running" : "created", null));
            return id;
        }
    }

    /** Attaches the container {@code nameOrId} to {@code network} (a user-defined one, where containers are found by name). */
    public void attach(String nameOrId, String network) {
        synchronized (lock) {
            Container c = resolveLocked(nameOrId).orElseThrow(() -> new IllegalArgumentException("no container " + nameOrId));
            networks.merge(c.id(), List.of(network), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
    }

    /** What {@link #uncopiedSettings} reports for every container without a list of its own. */
    public void setUncopiedSettings(List<String> settings) {
        synchronized (lock) {
            uncopiedByDefault = List.copyOf(settings);
        }
    }

    /** What {@link #uncopiedSettings} reports for the container {@code nameOrId} (as named in the later call). */
    public void setUncopiedSettings(String nameOrId, List<String> settings) {
        synchronized (lock) {
            uncopied.put(nameOrId, List.copyOf(settings));
        }
    }

    /** How {@link #exec} answers, given the command (default: exit 0, no output). */
    public void answerExec(Function<List<String>, ExecResult> answer) {
        synchronized (lock) {
            execAnswer = Objects.requireNonNull(answer);
        }
    }

    /** A health URL that answers 200 only while the container named {@code container} runs {@code image}. */
    public HealthEndpoint healthEndpoint(String container, String image) {
        HealthEndpoint e = new HealthEndpoint(container, image);
        endpoints.add(e);
        return e;
    }

    // ---- fault injection ----

    /** The next call of {@code op} throws an {@link EngineException} with {@code message}, having changed nothing. */
    public void failNext(Op op, String message) {
        synchronized (lock) {
            nextFaults.computeIfAbsent(op, o -> new ArrayDeque<>()).add(new Fault(message, false));
        }
    }

    /** The next call of {@code op} takes effect and then throws with {@code message}: the engine did it, the answer was lost. */
    public void failNextAfterEffect(Op op, String message) {
        synchronized (lock) {
            nextFaults.computeIfAbsent(op, o -> new ArrayDeque<>()).add(new Fault(message, true));
        }
    }

    /** Every call of {@code op} whose target matches throws, having changed nothing, until {@link #clearFaults()}. */
    public void failWhen(Op op, Predicate<String> target) {
        failWhen(op, target, null);
    }

    /** As {@link #failWhen(Op, Predicate)}, with the message; {@code null} for a default one naming the call. */
    public void failWhen(Op op, Predicate<String> target, String message) {
        synchronized (lock) {
            rules.computeIfAbsent(op, o -> new ArrayList<>()).add(new Rule(target, message));
        }
    }

    /** The next call of {@code op} parks before its effect until the returned handle is released. */
    public Block blockNext(Op op) {
        return block(op, false);
    }

    /**
     * The next call of {@code op} takes effect, then parks before returning to its caller until released: the engine
     * did it, but the caller (paused, or waiting on a slow answer) does not know yet.
     */
    public Block blockNextAfterEffect(Op op) {
        return block(op, true);
    }

    private Block block(Op op, boolean afterEffect) {
        Block b = new Block(op, afterEffect);
        synchronized (lock) {
            blocks.computeIfAbsent(op, o -> new ArrayDeque<>()).add(b);
            handedOut.add(b);
        }
        return b;
    }

    /** Drops every pending fault and rule (blocks already handed out stay as they are). */
    public void clearFaults() {
        synchronized (lock) {
            nextFaults.clear();
            rules.clear();
        }
    }

    // ---- what happened ----

    /** Every call so far, in the order they began their effect (or failed). */
    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> events(Op op) {
        return events.stream().filter(e -> e.op() == op).toList();
    }

    /** The calls that change something (rename, stop, start, remove, create), in order: the swap as it happened. */
    public List<Event> changes() {
        return events.stream().filter(e -> switch (e.op()) {
            case RENAME, STOP, START, REMOVE, CREATE_LIKE -> true;
            default -> false;
        }).toList();
    }

    /** The changes as short strings such as {@code "rename 3f2a… -> api-old OK"}, for readable order assertions. */
    public List<String> changeLog() {
        return changes().stream().map(Event::toString).toList();
    }

    public void clearEvents() {
        events.clear();
    }

    /** A snapshot of every container. */
    public List<Container> containers() {
        synchronized (lock) {
            return List.copyOf(containers.values());
        }
    }

    public Optional<Container> byName(String name) {
        synchronized (lock) {
            return byNameLocked(name);
        }
    }

    public Optional<Container> byId(String id) {
        synchronized (lock) {
            return Optional.ofNullable(containers.get(id));
        }
    }

    /** The image reference the container named {@code name} runs, or empty when none of that name runs. */
    public Optional<String> runningImage(String name) {
        return byName(name).filter(Container::running).map(Container::image);
    }

    // ---- ContainerEngine ----

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void ping() {
        call(Op.PING, "", () -> new Result<Void>(null, null, null));
    }

    @Override
    public Optional<ContainerInfo> container(String nameOrId) {
        return call(Op.INSPECT_CONTAINER, nameOrId, () -> {
            Optional<Container> c = resolveLocked(nameOrId);
            Optional<ContainerInfo> info = c.map(x -> new ContainerInfo(x.id(), x.name(), x.image(), x.imageId(), x.running(),
                    x.status(), networks.getOrDefault(x.id(), List.of("bridge"))));
            return new Result<>(info, c.map(Container::id).orElse(null), c.isEmpty() ? "not found" : null);
        });
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        return call(Op.INSPECT_IMAGE, reference, () -> {
            Optional<ImageInfo> i = imageLocked(reference);
            return new Result<>(i, i.map(ImageInfo::id).orElse(null), i.isEmpty() ? "not found" : null);
        });
    }

    @Override
    public List<ImageInfo> images() {
        return call(Op.LIST_IMAGES, "", () -> new Result<>(List.copyOf(images.values()), null, null));
    }

    @Override
    public void rename(String nameOrId, String newName) {
        call(Op.RENAME, nameOrId, () -> {
            Container c = existing(Op.RENAME, nameOrId);
            Optional<Container> holder = byNameLocked(newName);
            if (holder.isPresent() && !holder.get().id().equals(c.id())) {
                throw refused(Op.RENAME, nameOrId, c.id(), "the name " + newName + " is already in use by "
                        + shortId(holder.get().id()));
            }
            containers.put(c.id(), with(c, newName, c.running(), c.status()));
            return new Result<Void>(null, c.id(), "-> " + newName);
        });
    }

    @Override
    public void stop(String nameOrId, Duration timeout) {
        call(Op.STOP, nameOrId, () -> {
            Container c = existing(Op.STOP, nameOrId);
            containers.put(c.id(), with(c, c.name(), false, "exited"));
            return new Result<Void>(null, c.id(), c.running() ? null : "was already stopped");
        });
    }

    @Override
    public void start(String nameOrId) {
        call(Op.START, nameOrId, () -> {
            Container c = existing(Op.START, nameOrId);
            if (!images.containsKey(c.imageId())) {
                throw refused(Op.START, nameOrId, c.id(), "its image " + c.imageId() + " no longer exists");
            }
            containers.put(c.id(), with(c, c.name(), true, "running"));
            return new Result<Void>(null, c.id(), c.running() ? "was already running" : null);
        });
    }

    @Override
    public void remove(String nameOrId) {
        call(Op.REMOVE, nameOrId, () -> {
            Optional<Container> c = resolveLocked(nameOrId);
            c.ifPresent(x -> containers.remove(x.id()));
            return new Result<Void>(null, c.map(Container::id).orElse(null), c.isEmpty() ? "was already removed" : null);
        });
    }

    @Override
    public String createLike(String template, String name, String image, String imageId) {
        return create(template, name, image, Objects.requireNonNull(imageId, "imageId"));
    }

    private String create(String template, String name, String image, String imageId) {
        return call(Op.CREATE_LIKE, name, () -> {
            Container t = resolveLocked(template).orElseThrow(() -> refused(Op.CREATE_LIKE, name, null,
                    "no such container " + template + " (the template)"));
            ImageInfo img = (imageId == null ? imageLocked(image) : Optional.ofNullable(images.get(imageId)))
                    .orElseThrow(() -> refused(Op.CREATE_LIKE, name, null, "no such image "
                            + (imageId == null ? image : imageId)));
            Optional<ImageInfo> tagged = imageLocked(image);
            if (imageId != null && tagged.isPresent() && !tagged.get().id().equals(imageId)) {
                throw refused(Op.CREATE_LIKE, name, null, image + " moved to image " + shortId(tagged.get().id())
                        + " since approval (approved: " + shortId(imageId) + "); nothing was changed");
            }
            Optional<Container> holder = byNameLocked(name);
            if (holder.isPresent()) {
                throw refused(Op.CREATE_LIKE, name, null, "the name " + name + " is already in use by " + shortId(holder.get().id()));
            }
            String id = newHex();
            containers.put(id, new Container(id, name, image, img.id(), false, "created", t.id()));
            if (networks.containsKey(t.id())) {
                networks.put(id, networks.get(t.id()));
            }
            return new Result<>(id, id, "like " + t.name() + " from " + image + (imageId == null ? "" : " (" + imageId + ")"));
        });
    }

    @Override
    public ExecResult exec(String container, List<String> command, Duration timeout) {
        return call(Op.EXEC, container, () -> {
            Container c = existing(Op.EXEC, container);
            if (!c.running()) {
                throw refused(Op.EXEC, container, c.id(), "container " + c.name() + " is not running");
            }
            return new Result<>(execAnswer.apply(List.copyOf(command)), c.id(), String.join(" ", command));
        });
    }

    /** The settings of {@code container} that a create-like would not copy; empty unless configured. (Being added to the interface.) */
    @Override
    public List<String> uncopiedSettings(String container) {
        return call(Op.UNCOPIED_SETTINGS, container, () -> {
            Container c = existing(Op.UNCOPIED_SETTINGS, container);
            List<String> s = uncopied.getOrDefault(container, uncopied.getOrDefault(c.id(),
                    uncopied.getOrDefault(c.name(), uncopiedByDefault)));
            return new Result<>(s, c.id(), null);
        });
    }

    @Override
    public void close() {
        for (HealthEndpoint e : List.copyOf(endpoints)) {
            e.close();
        }
        synchronized (lock) {
            handedOut.forEach(Block::release); // no thread stays parked after the test
        }
    }

    // ---- the machinery ----

    /** What an operation returns, the id it acted on, and a detail for the record. */
    private record Result<T>(T value, String resolvedId, String detail) {
    }

    /** The fake's own refusal, turned into an {@link EngineException} (a final class) once recorded. */
    private static final class Refused extends RuntimeException {
        private final String resolvedId;

        Refused(String message, String resolvedId) {
            super(message, null, false, false);
            this.resolvedId = resolvedId;
        }
    }

    @FunctionalInterface
    private interface Effect<T> {
        Result<T> apply();
    }

    private <T> T call(Op op, String target, Effect<T> effect) {
        Block block;
        synchronized (lock) {
            Deque<Block> bq = blocks.get(op);
            block = bq == null ? null : bq.poll();
        }
        if (block != null && !block.afterEffect) {
            block.park(target); // outside the lock: a paused caller must not stop the others
        }
        T value = null;
        RuntimeException failure = null;
        synchronized (lock) {
            Fault fault = nextFault(op, target);
            if (fault != null && !fault.afterEffect()) {
                record(op, target, resolvedQuietly(op, target), Outcome.FAULT, fault.message());
                failure = new EngineException(fault.message());
            } else {
                try {
                    Result<T> r = effect.apply();
                    if (fault != null) {
                        record(op, target, r.resolvedId(), Outcome.FAULT_AFTER_EFFECT, fault.message()
                                + (r.detail() == null ? "" : " [done: " + r.detail() + "]"));
                        failure = new EngineException(fault.message());
                    } else {
                        record(op, target, r.resolvedId(), Outcome.OK, r.detail());
                        value = r.value();
                    }
                } catch (Refused e) {
                    record(op, target, e.resolvedId, Outcome.REFUSED, e.getMessage());
                    failure = new EngineException(e.getMessage());
                }
            }
        }
        if (block != null && block.afterEffect) {
            block.park(target);
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    private Fault nextFault(Op op, String target) {
        Deque<Fault> q = nextFaults.get(op);
        if (q != null && !q.isEmpty()) {
            return q.poll();
        }
        for (Rule r : rules.getOrDefault(op, List.of())) {
            if (r.target().test(target)) {
                return new Fault(r.message() != null ? r.message()
                        : "the container engine at " + where + " refused to " + op.name().toLowerCase() + " " + target
                                + " (injected)", false);
            }
        }
        return null;
    }

    private String resolvedQuietly(Op op, String target) {
        if (op == Op.INSPECT_IMAGE) {
            return imageLocked(target).map(ImageInfo::id).orElse(null);
        }
        return resolveLocked(target).map(Container::id).orElse(null);
    }

    private void record(Op op, String target, String resolvedId, Outcome outcome, String detail) {
        events.add(new Event(seq.incrementAndGet(), op, target, resolvedId, outcome, detail));
    }

    private Container existing(Op op, String nameOrId) {
        return resolveLocked(nameOrId).orElseThrow(() -> refused(op, nameOrId, null, "no such container: " + nameOrId));
    }

    private Refused refused(Op op, String target, String resolvedId, String why) {
        return new Refused("the container engine at " + where + " refused to " + op.name().toLowerCase() + " " + target + ": "
                + why, resolvedId);
    }

    /** By exact id, then by name, then by a unique id prefix: Docker's order. */
    private Optional<Container> resolveLocked(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) {
            return Optional.empty();
        }
        Container byId = containers.get(nameOrId);
        if (byId != null) {
            return Optional.of(byId);
        }
        Optional<Container> named = byNameLocked(nameOrId);
        if (named.isPresent()) {
            return named;
        }
        List<Container> prefixed = containers.values().stream().filter(c -> c.id().startsWith(nameOrId)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    private Optional<Container> byNameLocked(String name) {
        return containers.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** By tag (a reference without a tag means {@code :latest}), by id with or without {@code sha256:}, or a unique id prefix. */
    private Optional<ImageInfo> imageLocked(String reference) {
        if (reference == null || reference.isEmpty()) {
            return Optional.empty();
        }
        String withTag = reference.lastIndexOf(':') > reference.lastIndexOf('/') ? reference : reference + ":latest";
        for (ImageInfo i : images.values()) {
            if (i.tags().contains(reference) || i.tags().contains(withTag)) {
                return Optional.of(i);
            }
        }
        String id = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
        if (images.containsKey(id)) {
            return Optional.of(images.get(id));
        }
        List<ImageInfo> prefixed = images.values().stream().filter(i -> i.id().startsWith(id)).toList();
        return prefixed.size() == 1 && reference.length() >= 4 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    private void tagLocked(String imageId, String tag) {
        for (Map.Entry<String, ImageInfo> e : images.entrySet()) {
            if (e.getValue().tags().contains(tag)) {
                List<String> rest = new ArrayList<>(e.getValue().tags());
                rest.remove(tag);
                e.setValue(new ImageInfo(e.getKey(), List.copyOf(rest), e.getValue().created()));
            }
        }
        ImageInfo i = images.get(imageId);
        List<String> tags = new ArrayList<>(i.tags());
        tags.add(tag);
        images.put(imageId, new ImageInfo(imageId, Collections.unmodifiableList(tags), i.created()));
    }

    private static Container with(Container c, String name, boolean running, String status) {
        return new Container(c.id(), name, c.image(), c.imageId(), running, status, c.createdFrom());
    }

    /** 64 hex digits like Docker's ids. */
    private static String newHex() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
