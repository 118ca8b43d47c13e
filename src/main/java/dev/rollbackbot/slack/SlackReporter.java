package dev.rollbackbot.slack;

import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mirrors each incident's timeline into Slack: a reply in the card's thread per event, and the card redrawn
 * (chat.update) as its state changes. Runs off the rollback's thread, in order per incident; a run's progress goes out
 * in batches ({@link #BATCH}). Redraws are coalesced:
 * one that piles up behind another collapses into it (each redraw reads the latest state), and a card is redrawn at
 * most once per {@link #REDRAW_GAP} (the last change always shows, a final one at once), which keeps chat.update within
 * Slack's rate limits and leaves the machine to the rollback while the service is switched.
 */
public final class SlackReporter implements IncidentListener {
    /** The least time between two redraws of one card, unless the second shows how the incident ended. */
    static final Duration REDRAW_GAP = Duration.ofSeconds(1);
    /**
     * A run's progress is told in batches, each at most this long after its first event: the seconds in which a
     * service is switched belong to the engine, not to rendering and posting chat messages. How a run ends, and
     * everything before it, goes out at once.
     */
    static final Duration BATCH = Duration.ofSeconds(1);
    private static final Set<EventType> BATCHED = EnumSet.of(EventType.APPROVED, EventType.STARTED, EventType.STEP_STARTED,
            EventType.STEP_PROGRESS, EventType.STEP_SUCCEEDED, EventType.STEP_FAILED);

    private final SlackGateway slack;
    private final IncidentStore store;
    private final Timeline timeline;
    private final Cards cards;
    private final ThreadRenderer replies = new ThreadRenderer();
    private final OrderedExecutor queue = new OrderedExecutor(4, "slack-report");
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slack-redraw-later");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Redraws> redraws = new ConcurrentHashMap<>();
    /** The replies of each incident waiting for their batch to be due, in timeline order. Also the lock that keeps it. */
    private final Map<Long, List<TimelineEvent>> pending = new HashMap<>();
    /** An active incident whose card is posted, with its plan's step count: what the replies of its steps need. */
    private final Map<Long, CardThread> threads = new ConcurrentHashMap<>();

    /** One card's redraws: whether one is queued or waiting, and when the last one began (System.nanoTime). */
    private static final class Redraws {
        final AtomicBoolean queued = new AtomicBoolean();
        volatile long lastAt;
        volatile boolean drawn;
    }

    private record CardThread(Incident incident, int planSize) {
    }

    public SlackReporter(SlackGateway slack, IncidentStore store, Timeline timeline, Cards cards) {
        this.slack = slack;
        this.store = store;
        this.timeline = timeline;
        this.cards = cards;
    }

    /**
     * For an incident that ended while its card was being posted: its final events found no thread then, so they are
     * told now, and the card is redrawn.
     */
    public void catchUp(long id) {
        queue.submit(id, () -> {
            timeline.of(id).stream().filter(e -> e.type().isFinal()).forEach(this::reply);
            redraw(id);
        });
    }

    @Override
    public void onEvent(TimelineEvent e) {
        if (e.type() == EventType.REQUESTED || e.type() == EventType.REFUSED) {
            return;
        }
        long id = e.incidentId();
        if (BATCHED.contains(e.type())) {
            synchronized (pending) {
                List<TimelineEvent> batch = pending.computeIfAbsent(id, k -> new ArrayList<>());
                batch.add(e);
                if (batch.size() == 1) {
                    later.schedule(() -> flush(id), BATCH.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            return;
        }
        synchronized (pending) { // what waits in a batch goes first: the thread keeps the timeline's order
            submitPending(id);
            queue.submit(id, () -> reply(e));
        }
        if (e.type().isFinal()) {
            redraws.remove(id);
            threads.remove(id);
            queue.submit(id, () -> redraw(id)); // how it ended shows at once
            return;
        }
        requestRedraw(id);
    }

    /** The batch of a running incident is due: its replies, then one redraw showing where it stands. */
    private void flush(long id) {
        boolean any;
        synchronized (pending) {
            any = submitPending(id);
        }
        if (any) {
            requestRedraw(id);
        }
    }

    /** Queues the replies waiting in {@code id}'s batch, in order; called holding {@code pending}. */
    private boolean submitPending(long id) {
        List<TimelineEvent> batch = pending.remove(id);
        if (batch == null || batch.isEmpty()) {
            return false;
        }
        for (TimelineEvent e : batch) {
            queue.submit(id, () -> reply(e));
        }
        return true;
    }

    private void requestRedraw(long id) {
        Redraws r = redraws.computeIfAbsent(id, k -> new Redraws());
        if (!r.queued.compareAndSet(false, true)) {
            return; // the one queued or waiting will draw this change too
        }
        Runnable draw = () -> queue.submit(id, () -> {
            r.queued.set(false);
            r.lastAt = System.nanoTime();
            r.drawn = true;
            redraw(id);
        });
        long wait = r.drawn ? REDRAW_GAP.toNanos() - (System.nanoTime() - r.lastAt) : 0;
        if (wait <= 0) {
            draw.run();
        } else {
            later.schedule(draw, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void reply(TimelineEvent e) {
        Optional<CardThread> t = e.type().isFinal() ? thread(e.incidentId()) // the outcome and total time: as the incident is now
                : Optional.ofNullable(threads.get(e.incidentId())).or(() -> thread(e.incidentId()).map(known -> {
                    if (known.incident().state().isActive()) {
                        threads.put(e.incidentId(), known); // its channel, card and steps do not change
                    }
                    return known;
                }));
        t.ifPresent(known -> replies.reply(e, known.incident(), known.planSize()).ifPresent(m ->
                slack.post(known.incident().channelId().orElseThrow(), m, known.incident().messageTs().orElseThrow())));
    }

    private Optional<CardThread> thread(long id) {
        return posted(id).map(inc -> new CardThread(inc, cards.planSize(inc)));
    }

    private void redraw(long id) {
        posted(id).ifPresent(inc -> slack.update(inc.channelId().orElseThrow(), inc.messageTs().orElseThrow(), cards.render(inc)));
    }

    /** The incident, if its card is in Slack (refused requests never got one). */
    private Optional<Incident> posted(long id) {
        return store.find(id).filter(i -> i.messageTs().isPresent() && i.channelId().isPresent());
    }

    public void shutdown(Duration timeout) {
        synchronized (pending) { // batches not yet due are told before the queue stops
            List.copyOf(pending.keySet()).forEach(this::submitPending);
        }
        later.shutdownNow(); // a redraw still waiting would show nothing a final one has not
        queue.shutdown(timeout);
    }
}
