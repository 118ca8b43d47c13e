package dev.rollbackbot.monitor;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.MonitorSettings;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.escalation.Escalations;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.rollback.IncidentBoard;
import dev.rollbackbot.rollback.RollbackRequest;
import dev.rollbackbot.rollback.RollbackService;
import dev.rollbackbot.timers.Timers;
import io.micrometer.core.instrument.MeterRegistry;
import dev.rollbackbot.config.Durations;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health monitor: for each service with a {@code monitor} block, a timer (Quartz, clustered on PostgreSQL, so
 * one replica fires each check) polls its health URL every {@code interval}, each check bounded by {@code timeout}.
 * Failures within {@code start-period} of a (re)start do not count. After {@code retries} failures in a row it opens
 * an {@code automated} incident (no approval) or, with {@code auto-rollback: false}, a manual one that asks for
 * approval, once per streak; never while a rollback holds the service; and for a version the bot already rolled
 * back from it only escalates.
 */
public final class HealthMonitor {
    public static final String TIMER = "monitor";
    /** The User-Agent of the monitor's checks, followed by the replica's name: access logs tell which replica checked. */
    static final String USER_AGENT = "rollback-bot-monitor";
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final List<ServiceConfig> monitored;
    private final String channel;
    private final Timers timers;
    private final HttpHealthCheck health;
    private final Instances instances;
    private final IncidentStore store;
    private final RollbackService service;
    private final Escalations escalations;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String userAgent;
    static final String CHECKS = "rollback_monitor_checks_total";
    static final String ACTIONS = "rollback_monitor_actions_total";
    static final String DOWNTIME = "rollback_downtime";
    private final IncidentEvents events;
    private final MonitorStates states;

    public HealthMonitor(BotConfig config, Timers timers, HttpHealthCheck health, Instances instances, MonitorStates states,
            IncidentStore store,
            RollbackService service, IncidentEvents events, Escalations escalations, MeterRegistry meters, Clock clock,
            String replica) {
        this.userAgent = USER_AGENT + " (" + replica + ")";
        this.events = events;
        this.states = states;
        this.monitored = config.services().values().stream().filter(s -> s.monitor().isPresent())
                .sorted(Comparator.comparing(ServiceConfig::name)).toList();
        this.channel = config.channel();
        this.timers = timers;
        this.health = health;
        this.instances = instances;
        this.store = store;
        this.service = service;
        this.escalations = escalations;
        this.clock = clock;
        this.meters = meters;
        for (ServiceConfig s : monitored) {
            List.of("healthy", "failed", "ignored").forEach(r -> meters.counter(CHECKS, "service", s.name(), "result", r));
            List.of("automated", "approval", "escalated", "refused").forEach(a -> meters.counter(ACTIONS, "service", s.name(), "action", a));
            meters.timer(DOWNTIME, "service", s.name());
        }
        timers.on(TIMER, this::check);
    }

    /** Schedules every service's first check now (replacing the timers of an earlier start); after the timers start. */
    public void start() {
        Instant now = clock.instant();
        for (int i = 0; i < monitored.size(); i++) {
            timers.at(TIMER, i, now);
        }
        if (!monitored.isEmpty()) {
            log.info("health monitor: {}", String.join(", ", monitored.stream().map(s -> s.name() + " every "
                    + Durations.format(settings(s).interval())).toList()));
        }
    }

    /** Each monitored service with where the monitor stands, by name. */
    public List<MonitorView> views() {
        Instant now = clock.instant();
        return monitored.stream().map(s -> new MonitorView(s.name(), settings(s), state(s, now), now)).toList();
    }

    /** The timer of the {@code index}-th monitored service fired: one check, then the next one is scheduled. */
    void check(long index) {
        if (index < 0 || index >= monitored.size()) {
            return; // a timer left by a configuration with more monitored services
        }
        ServiceConfig s = monitored.get((int) index);
        MonitorSettings m = settings(s);
        Instant started = clock.instant();
        try {
            if (!claimed(s, m, started)) {
                return; // fired on two replicas at once: the other checks; the next check is set below all the same
            }
            MonitorState after = checkOnce(s, m, state(s, started));
            states.save(s.name(), after, clock.instant());
        } catch (RuntimeException e) {
            log.error("health monitor: checking {} failed", s.name(), e);
        } finally {
            Instant next = started.plus(m.interval());
            Instant now = clock.instant();
            timers.at(TIMER, index, next.isAfter(now) ? next : now);
        }
    }

    /** Whether this replica makes the check due now (see {@link MonitorStates#claim}); a database hiccup is no reason not to. */
    private boolean claimed(ServiceConfig s, MonitorSettings m, Instant now) {
        try {
            if (states.load(s.name()).isEmpty()) { // a first check claims a row too, or its duplicate would find none
                states.save(s.name(), MonitorState.begin(now, m.startPeriod()), now);
            }
            boolean mine = states.claim(s.name(), now, m.interval().dividedBy(2));
            if (!mine) {
                log.debug("health monitor: {} was just checked by another replica", s.name());
            }
            return mine;
        } catch (RuntimeException e) {
            log.warn("health monitor: could not claim the check of {}: {}", s.name(), e.toString());
            return true;
        }
    }

    private MonitorState checkOnce(ServiceConfig s, MonitorSettings m, MonitorState st) {
        Optional<Incident> holder = store.activeFor(s.name());
        if (holder.isPresent()) {
            return st.paused(holder.get().id());
        }
        Optional<String> version = Optional.empty();
        Optional<String> instance = Optional.empty();
        try {
            Instances.Seen seen = instances.seen(s);
            version = Optional.of(seen.version());
            instance = Optional.of(seen.instance());
        } catch (RuntimeException e) {
            log.debug("health monitor: what {} runs is unknown: {}", s.name(), e.toString());
        }
        st = st.observe(instance, clock.instant(), m.startPeriod()); // after the engine answered: the check starts now
        HttpHealthCheck.Probe p = health.probe(s.healthUrl(), m.timeout(), userAgent);
        Instant at = clock.instant();
        Optional<MonitorState.Downtime> down = st.downtime();
        st = p.healthy() ? st.healthy(at, p.describe()) : st.failed(at, p.describe());
        if (p.healthy() && down.isPresent()) {
            healthyAgain(s, down.get(), at);
        }
        meters.counter(CHECKS, "service", s.name(), "result", p.healthy() ? "healthy"
                : st.phase() == MonitorState.Phase.STARTING ? "ignored" : "failed").increment();
        if (!st.due(m.retries())) {
            return st;
        }
        Acted a = act(s, m, st, version);
        MonitorState acted = st.actedOn(a.what());
        return a.incident().isPresent() && st.downtime().isEmpty() ? acted.down(a.incident().get()) : acted;
    }

    /** What the monitor did about a streak, and the incident it opened for it. */
    private record Acted(String what, Optional<Long> incident) {
        static Acted only(String what) {
            return new Acted(what, Optional.empty());
        }
    }

    /** Records the downtime on the incident the monitor opened: the first failed check to this healthy one. */
    private void healthyAgain(ServiceConfig s, MonitorState.Downtime down, Instant at) {
        Duration took = Duration.between(down.since(), at);
        meters.timer(DOWNTIME, "service", s.name()).record(took);
        events.publish(new TimelineEvent(down.incident(), at, EventType.HEALTHY_AGAIN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(took), Optional.of(Durations.human(took) + " of downtime, from the first failed health check at "
                        + TIME.format(down.since()) + " to healthy at " + TIME.format(at) + " (the health monitor)")));
        log.info("health monitor: {} healthy again after {} of downtime (INC-{})", s.name(), Durations.human(took), down.incident());
    }

    /** {@code retries} failures in a row: roll back, ask for approval, or only escalate; returns what it did. */
    private Acted act(ServiceConfig s, MonitorSettings m, MonitorState st, Optional<String> version) {
        String reason = st.failures() + " failed health checks in a row (" + st.lastResult() + "), the first at "
                + TIME.format(st.firstFailure().orElseThrow());
        if (m.autoRollback() && version.isPresent()) {
            Optional<Incident> left = leftBefore(s.name(), version.get());
            if (left.isPresent()) {
                String why = s.name() + " fails its health checks again on " + version.get() + ", which " + left.get().ref()
                        + " rolled back from: not rolled back again automatically (" + reason + ")";
                log.warn("health monitor: {}", why);
                escalations.open(left.get().id(), why);
                meters.counter(ACTIONS, "service", s.name(), "action", "escalated").increment();
                return new Acted("escalated on " + left.get().ref() + ": " + version.get() + " was rolled back from before",
                        Optional.of(left.get().id()));
            }
        }
        RollbackKind kind = m.autoRollback() ? RollbackKind.AUTOMATED : RollbackKind.MANUAL;
        try {
            Incident inc = service.open(new RollbackRequest(kind, s.name(), Optional.empty(), Optional.empty(), reason,
                    Requester.monitor(s.name()), channel));
            // the escalation opened with the request (EscalationListener): the approvers are paged while it is prepared
            log.warn("health monitor: {} opened {} ({} rollback): {}", s.name(), inc.ref(), kind.word(), reason);
            meters.counter(ACTIONS, "service", s.name(), "action", kind == RollbackKind.MANUAL ? "approval" : "automated").increment();
            return new Acted("opened " + inc.ref() + (kind == RollbackKind.MANUAL ? ", waiting for approval" : ""), Optional.of(inc.id()));
        } catch (UserError | IncidentBoard.NotPosted e) {
            log.warn("health monitor: {} is failing ({}) but no rollback could be opened: {}", s.name(), reason, e.getMessage());
            meters.counter(ACTIONS, "service", s.name(), "action", "refused").increment();
            // nobody is at the keyboard: the request that could not be planned is what gets paged
            store.recent(Optional.of(s.name()), 1).stream().filter(i -> i.requester().equals(Requester.monitor(s.name())))
                    .filter(i -> !i.state().isActive()).findFirst()
                    .ifPresent(i -> escalations.open(i.id(), "the health monitor: " + s.name() + " is failing (" + reason
                            + ") and no rollback could be opened: " + e.getMessage()));
            return Acted.only("could not open a rollback: " + e.getMessage());
        }
    }

    /** The latest incident that rolled {@code service} back from {@code version}, which the monitor must not repeat. */
    private Optional<Incident> leftBefore(String service, String version) {
        return store.recent(Optional.of(service), 20).stream()
                .filter(i -> i.kind().leavesABadVersion() && i.fromVersion().equals(Optional.of(version)))
                .filter(i -> i.kind() == RollbackKind.AUTOMATED || store.rolledBackFrom(service).contains(version))
                .findFirst();
    }

    /** The stored state, or a first one whose start period runs from now. */
    private MonitorState state(ServiceConfig s, Instant now) {
        return states.load(s.name()).orElseGet(() -> MonitorState.begin(now, settings(s).startPeriod()));
    }

    private static MonitorSettings settings(ServiceConfig s) {
        return s.monitor().orElseThrow();
    }
}
