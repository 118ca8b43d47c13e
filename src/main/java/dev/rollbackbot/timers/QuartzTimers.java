package dev.rollbackbot.timers;

import dev.rollbackbot.store.Database;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Timers} on Quartz: a JDBC job store ({@code JobStoreTX}, HikariCP provider) in the bot's own database, whose
 * tables come from the Flyway migrations. On PostgreSQL it runs clustered, so with several replicas a timer fires on
 * exactly one of them. Each timer is a one-shot trigger whose misfire instruction is "fire now": a timer that fell due
 * while no replica was running fires once, as soon as a scheduler starts, never once per missed interval.
 */
public final class QuartzTimers implements Timers {
    private static final Logger log = LoggerFactory.getLogger(QuartzTimers.class);
    /** The scheduler's name: every replica sharing a database uses the same one, which is what clusters them. */
    static final String NAME = "rollback-bot";

    private final Scheduler scheduler;
    private final Map<String, LongConsumer> handlers = new ConcurrentHashMap<>();
    private final boolean clustered;

    private QuartzTimers(Scheduler scheduler, boolean clustered) {
        this.scheduler = scheduler;
        this.clustered = clustered;
    }

    /** The threads that are always there for pages, whatever the long-running timers (health checks) hold. */
    public static final int BASE_THREADS = 4;

    /** A scheduler on the database at {@code url}, not started: register handlers with {@link #on}, then {@link #start}. */
    public static QuartzTimers create(String url, String user, String password, String instanceId) {
        return create(url, user, password, instanceId, 0);
    }

    /**
     * The same, with {@code longRunning} more threads: one for each timer that may hold its thread for seconds (a health
     * check waits up to its timeout), so that a slow check never delays an escalation page.
     */
    public static QuartzTimers create(String url, String user, String password, String instanceId, int longRunning) {
        int threads = BASE_THREADS + Math.max(0, longRunning);
        String vendor = Database.vendor(url);
        boolean clustered = vendor.equals("postgresql");
        // data source names are global to Quartz in this JVM: each bot (tests run several) gets its own
        String ds = "rollbackbot-" + UUID.randomUUID();
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", NAME);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // how long an idle scheduler waits before looking for triggers other replicas scheduled (its own wake it at once)
        p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "4");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", clustered
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", ds);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        // a trigger more than this late counts as misfired and gets its misfire instruction (fire now)
        p.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(clustered));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "2000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource." + ds + ".provider", "hikaricp");
        p.setProperty("org.quartz.dataSource." + ds + ".driver", clustered ? "org.postgresql.Driver" : "org.h2.Driver");
        p.setProperty("org.quartz.dataSource." + ds + ".URL", Database.durable(url));
        p.setProperty("org.quartz.dataSource." + ds + ".user", user == null ? "" : user);
        p.setProperty("org.quartz.dataSource." + ds + ".password", password == null ? "" : password);
        p.setProperty("org.quartz.dataSource." + ds + ".maxConnections", String.valueOf(threads + 2));
        try {
            Scheduler s = new StdSchedulerFactory(p).getScheduler();
            // Quartz keeps schedulers in a JVM-wide registry by name; replicas in one JVM (tests) must not share one
            SchedulerRepository.getInstance().remove(NAME);
            QuartzTimers timers = new QuartzTimers(s, clustered);
            s.setJobFactory((bundle, sched) -> timers.jobFor(bundle.getJobDetail().getKey()));
            return timers;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public void on(String kind, LongConsumer handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("two handlers for timers of kind " + kind);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public boolean clustered() {
        return clustered;
    }

    @Override
    public void at(String kind, long id, Instant due) {
        JobKey job = JobKey.jobKey(String.valueOf(id), kind);
        JobDetail detail = JobBuilder.newJob(Fire.class).withIdentity(job).storeDurably(false).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey(String.valueOf(id), kind))
                .forJob(job).startAt(Date.from(due))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            // replaces any timer of the same kind and id, atomically in the job store
            scheduler.scheduleJob(detail, java.util.Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule " + kind + " " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void cancel(String kind, long id) {
        try {
            scheduler.deleteJob(JobKey.jobKey(String.valueOf(id), kind));
        } catch (SchedulerException e) {
            log.warn("cannot cancel {} {}: {}", kind, id, e.toString());
        }
    }

    /** Waits for running timer jobs to end, then stops; timers not yet due stay in the database for the next start. */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("stopping the Quartz scheduler: {}", e.toString());
        }
    }

    private Job jobFor(JobKey key) {
        LongConsumer handler = handlers.get(key.getGroup());
        long id = Long.parseLong(key.getName());
        return ctx -> {
            if (handler == null) {
                log.warn("no handler for timer {} {}; dropped", key.getGroup(), id);
                return;
            }
            try {
                handler.accept(id);
            } catch (RuntimeException e) {
                log.error("timer {} {} failed", key.getGroup(), id, e);
            }
        };
    }

    /** The job class Quartz stores; instances come from the job factory above, never from this class. */
    public static final class Fire implements Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
            throw new IllegalStateException("Quartz jobs of this bot are made by its job factory");
        }
    }
}
