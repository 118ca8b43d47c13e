package dev.rollbackbot.app;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.rollbackbot.approval.ApprovalPolicy;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.console.Console;
import dev.rollbackbot.analysis.Analysis;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.kubernetes.Kubernetes;
import dev.rollbackbot.incident.DeliveryLog;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.Timeline;
import dev.rollbackbot.incident.RunLeases;
import dev.rollbackbot.monitor.HealthMonitor;
import dev.rollbackbot.monitor.MonitoredInstances;
import dev.rollbackbot.monitor.MonitorStates;
import dev.rollbackbot.slack.SlackBoard;
import dev.rollbackbot.rollback.IncidentEvents;
import dev.rollbackbot.rollback.Preparations;
import dev.rollbackbot.rollback.RollbackRunner;
import dev.rollbackbot.rollback.RollbackService;
import dev.rollbackbot.slack.Cards;
import dev.rollbackbot.slack.SlackApproverDirectory;
import dev.rollbackbot.slack.SlackEdge;
import dev.rollbackbot.slack.SlackGateway;
import dev.rollbackbot.slack.SlackReporter;
import dev.rollbackbot.store.Database;
import dev.rollbackbot.escalation.EscalationListener;
import dev.rollbackbot.escalation.EscalationStore;
import dev.rollbackbot.escalation.Escalations;
import dev.rollbackbot.escalation.Pager;
import dev.rollbackbot.mail.EmailPager;
import dev.rollbackbot.slack.SlackPager;
import dev.rollbackbot.timers.QuartzTimers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every part with {@code new}, starts them in order, and stops them gracefully. */
public final class RollbackBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RollbackBot.class);

    private final Options options;
    private final Database db;
    private final DockerJavaEngine engine;
    private final Kubernetes kubernetes;
    private final RollbackRunner runner;
    private final SlackReporter reporter;
    private final SlackConnection slackConnection;
    private final Housekeeping housekeeping;
    private final QuartzTimers timers;
    private final Server server;
    private final Console console;
    private final BaseMeters baseMeters;
    private volatile SocketModeApp socketMode;
    private volatile boolean ready;
    /** Set once the bot served: a start-up that fails closes quietly, leaving its one-line reason alone. */
    private volatile boolean served;
    private volatile boolean closed;

    private RollbackBot(Environment env, BotConfig config, Options options) throws Exception {
        this.options = options;
        var clock = options.clock();
        var startup = new StartupClock();
        startup.lap("JVM and configuration");
        // The slow parts of start-up do not depend on each other: open and migrate the database, and ask Slack about
        // the token, at once. /health is not ready until every part is.
        ExecutorService boot = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "boot");
            t.setDaemon(true);
            return t;
        });
        server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setPort(env.port());
        server.addConnector(http);
        // Console mode plays Slack on this server: its port must be known before the Slack client is pointed at it
        if (env.console()) {
            http.setHost("127.0.0.1"); // the page acts as any approver: it is for this machine only
            http.open();
            console = new Console(config, env.signingSecret().orElseThrow(), env.botToken(), http.getLocalPort(), clock);
        } else {
            console = null;
        }
        String slackApiUrl = console != null ? console.apiUrl() : env.slackApiUrl();
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(slackApiUrl);
        Slack slack = Slack.getInstance(slackConfig);
        var gateway = new SlackGateway(slack, env.botToken());
        CompletableFuture<Database> opening = CompletableFuture.supplyAsync(() -> Database.open(env.databaseUrl(),
                env.databaseUser().orElse(null), env.databasePassword().orElse(null)), boot);
        // the console answers auth.test once the server runs, which is before the edge connects
        CompletableFuture<Void> tokenChecked = console != null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(gateway::checkToken, boot);
        String owner = EngineCheck.replicaName();
        // Quartz is created (not started) meanwhile: loading it is most of its cost; it starts once the schema is there
        CompletableFuture<QuartzTimers> scheduling = CompletableFuture.supplyAsync(() -> QuartzTimers.create(env.databaseUrl(),
                env.databaseUser().orElse(null), env.databasePassword().orElse(null), owner,
                (int) config.services().values().stream().filter(s -> s.monitor().isPresent()).count()), boot);
        boot.shutdown();
        engine = DockerJavaEngine.connect(env.dockerHost().orElse(null)); // loads the client on first use, after start-up
        try {
            db = Boot.join(opening);
        } catch (RuntimeException e) {
            scheduling.thenAccept(QuartzTimers::close);
            throw e;
        }
        startup.lap("database and Slack token (at once)");
        var jdbc = db.jdbc();
        var store = new IncidentStore(jdbc);
        var timeline = new Timeline(jdbc);
        var history = new DeploymentHistory(jdbc);
        var deliveries = new DeliveryLog(jdbc);
        var events = new IncidentEvents(timeline);

        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        kubernetes = Kubernetes.lazily(env.kubeconfig()); // built on first use: Docker-only configs never need KUBECONFIG
        var procedures = Procedures.build(env, config, engine, kubernetes, jdbc, store, history, metrics, clock);
        var planner = procedures.planner();
        var health = procedures.health();
        var versions = procedures.versions();
        var k8sVersions = procedures.k8sVersions();
        var liveColours = procedures.liveColours();
        var dataRestores = procedures.dataRestores();
        var backupListing = procedures.backupListing();

        var directory = new SlackApproverDirectory(gateway, clock);
        var policy = new ApprovalPolicy(config.approvals(), directory);
        var leases = new RunLeases(jdbc);
        var preparations = new Preparations(store, events, planner, clock);
        events.addListener(preparations);
        runner = new RollbackRunner(store, leases, events, planner, preparations, clock, owner);
        var cards = new Cards(store, timeline, planner, config, policy.approvers());
        reporter = new SlackReporter(gateway, store, timeline, cards);
        var service = new RollbackService(store, leases, events, planner, policy, config.approvals(), runner,
                new SlackBoard(gateway, cards, reporter), preparations, clock);
        events.addListener(reporter);
        events.addListener(new IncidentMetrics(metrics, store, dataRestores));
        baseMeters = new BaseMeters(metrics, config, (k, t) -> planner.unsupported(k, t).isEmpty()); // JVM, process, and the bot's meters at 0

        // Escalation (issue 6): pages and approval expiry are Quartz timers in this database (clustered on PostgreSQL)
        timers = Boot.join(scheduling);
        var slackPager = new SlackPager(gateway, directory);
        List<Pager> pagers = new java.util.ArrayList<>(List.of(slackPager));
        env.mail().ifPresentOrElse(m -> pagers.add(new EmailPager(m)), () -> log.warn(
                "EMAIL PAGES ARE OFF: SMTP_HOST is not set, so escalation levels with an email are paged in Slack only"));
        var escalations = new Escalations(new EscalationStore(jdbc), store, events, config.escalation(), timers, pagers,
                slackPager, policy, directory, clock);
        events.addListener(new EscalationListener(escalations, store));
        events.addListener(new EscalationMetrics(metrics, store));
        var expiry = new ExpiryTimers(timers, store, service);
        events.addListener(expiry);
        // the health monitor (issue 9): one Quartz timer per monitored service, so one replica checks each
        var monitor = new HealthMonitor(config, timers, health, new MonitoredInstances(versions, k8sVersions),
                new MonitorStates(jdbc), store, service,
                events, escalations, metrics, clock, owner);
        timers.start(); // pages and expiries that fell due while no replica ran fire now, once
        expiry.scheduleAllPending();
        monitor.start();

        housekeeping = new Housekeeping(service, runner, deliveries, clock, options.expiryCheck());

        startup.lap("wiring");
        AtomicReference<CompletableFuture<Void>> firstTokenCheck = new AtomicReference<>(tokenChecked);
        SlackEdge.Domain domain = new SlackEdge.Domain(config, planner, planner.availableKinds(), service, store, timeline, history,
                deliveries, escalations, liveColours, backupListing, monitor::views,
                new Analysis(store, timeline, dataRestores, clock));
        SlackEventsServlet slackEvents = new SlackEventsServlet(() -> slackConnection().waitingFor().orElse("ready"));
        slackConnection = new SlackConnection(() -> {
            // tells "Slack said no" from "Slack did not answer" before Bolt blurs the two; the first answer was asked at boot
            CompletableFuture<Void> atBoot = firstTokenCheck.getAndSet(null);
            if (atBoot != null) {
                Boot.join(atBoot);
            } else {
                gateway.checkToken();
            }
            SlackEdge e = new SlackEdge(slack, env.signingSecret().orElse(null), env.botToken(), gateway, domain, clock);
            e.app().start();
            return e;
        }, e -> connected(env, e, slackEvents), slackApiUrl);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (env.signingSecret().isPresent()) {
            context.addServlet(new ServletHolder(slackEvents), "/slack/events");
        }
        context.addServlet(new ServletHolder(new HealthServlet(this::notReadyBecause, db::isReachable)), "/health");
        context.addServlet(new ServletHolder(new MetricsServlet(metrics)), "/metrics");
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(new HttpMetricsFilter(metrics,
                List.of("/slack/events", "/health", "/metrics", "/console"))), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        if (console != null) {
            console.install(context);
        }
        server.setHandler(context);
        server.setStopTimeout(2_000);
        if (console != null) {
            server.start(); // the console's Web API is on this server: it serves before the edge connects to it
            startup.lap("HTTP");
        }
        try {
            slackConnection.connect(); // Bolt's app.start() (auth.test) before serving, when Slack answers
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        startup.lap("Slack");
        if (console == null) {
            server.start();
            startup.lap("HTTP");
        }
        ready = true;
        served = true;
        log.info("rollback bot ready on port {} ({}), {} services, database {}, container engine {}; started in {}", port(),
                console != null ? "CONSOLE MODE, no Slack token set: open " + console.url() + " to try it"
                        : env.socketMode() ? "Socket Mode" : "HTTP", config.services().size(), Database.describe(env.databaseUrl()),
                engine.describe(), startup.summary());
        if (config.approvals().approvers().isEmpty()) {
            log.warn("NO APPROVERS are configured (approvals.approvers in {}): requests that need approval can never run",
                    config.source());
        }
        EngineCheck.inBackground(engine, config, versions);
    }

    public static RollbackBot start(Environment env, BotConfig config, Options options) throws Exception {
        return new RollbackBot(env, config, options);
    }

    private SlackConnection slackConnection() {
        return slackConnection;
    }

    /** Bolt's servlet and Socket Mode come up once Slack has accepted the token. */
    private void connected(Environment env, SlackEdge edge, SlackEventsServlet slackEvents) {
        try {
            slackEvents.connect(new SlackAppServlet(edge.app()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve /slack/events: " + e.getMessage(), e);
        }
        if (env.appToken().isPresent()) {
            AppTokenCheck.check(edge.app().slack(), env.appToken().get());
            try {
                socketMode = new SocketModeApp(env.appToken().get(), SocketModeClient.Backend.JavaWebSocket, edge.app());
                socketMode.startAsync();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start Socket Mode: " + e.getMessage(), e);
            }
        }
    }

    /** Why {@code /health} is not 200, or empty when the bot is ready. */
    private java.util.Optional<String> notReadyBecause() {
        if (closed) {
            return java.util.Optional.of("stopping");
        }
        if (!ready) {
            return java.util.Optional.of("starting");
        }
        return slackConnection.waitingFor();
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Stops taking requests, lets running rollbacks end (or records them interrupted), then closes everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        if (served) {
            log.info("stopping: no new requests; running rollbacks get {}, then up to {} to put back what they changed",
                    options.shutdownGrace(), RollbackRunner.PUT_BACK_BUDGET);
        }
        if (console != null) {
            console.close();
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server: {}", e.toString());
        }
        if (socketMode != null) {
            SocketModeClient client = socketMode.getClient();
            try {
                socketMode.stop();
            } catch (Exception e) {
                log.warn("stopping Socket Mode: {}", e.toString());
            }
            // stop() disconnects only a connection that still answers a ping and leaves the client's threads running:
            // one whose connection was already down would go on fetching new URLs and reconnecting after the bot stopped
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    log.warn("closing the Socket Mode client: {}", e.toString());
                }
            }
        }
        slackConnection.close();
        runner.shutdown(options.shutdownGrace());
        housekeeping.close(); // after the runner: its heartbeats keep other replicas from taking running incidents
        timers.close(); // waits for a page being sent; pages not yet due stay in the database for the next start
        if (baseMeters != null) {
            baseMeters.close();
        }
        reporter.shutdown(Duration.ofSeconds(5));
        engine.close();
        kubernetes.close();
        db.close();
        if (served) {
            log.info("stopped");
        }
    }
}
