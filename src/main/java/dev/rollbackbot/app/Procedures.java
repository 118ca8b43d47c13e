package dev.rollbackbot.app;

import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.data.BackupFolder;
import dev.rollbackbot.data.BackupListing;
import dev.rollbackbot.data.DataRestores;
import dev.rollbackbot.data.Dependents;
import dev.rollbackbot.data.EmergencyRepairs;
import dev.rollbackbot.data.PgClients;
import dev.rollbackbot.data.PgRestores;
import dev.rollbackbot.data.PostgresRestore;
import dev.rollbackbot.data.RedisAccesses;
import dev.rollbackbot.data.RedisRestore;
import dev.rollbackbot.docker.ContainerDatastoreProbe;
import dev.rollbackbot.docker.DockerDrill;
import dev.rollbackbot.docker.DockerEmergencyRollback;
import dev.rollbackbot.docker.DockerJavaEngine;
import dev.rollbackbot.docker.DockerManualRollback;
import dev.rollbackbot.docker.DockerRollbacks;
import dev.rollbackbot.docker.DockerVersions;
import dev.rollbackbot.health.DatastoreProbes;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.health.NetworkDatastoreProbe;
import dev.rollbackbot.incident.DeploymentHistory;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.LiveColours;
import dev.rollbackbot.kubernetes.Deployments;
import dev.rollbackbot.kubernetes.Kubernetes;
import dev.rollbackbot.kubernetes.KubernetesBlueGreen;
import dev.rollbackbot.kubernetes.KubernetesEmergencyRollback;
import dev.rollbackbot.kubernetes.KubernetesManualRollback;
import dev.rollbackbot.kubernetes.KubernetesRollbacks;
import dev.rollbackbot.kubernetes.KubernetesVersions;
import dev.rollbackbot.kubernetes.ServiceSelectors;
import dev.rollbackbot.nginx.ContainerNginx;
import dev.rollbackbot.nginx.HostNginx;
import dev.rollbackbot.nginx.Nginx;
import dev.rollbackbot.nginx.NginxBlueGreen;
import dev.rollbackbot.procedures.AutomatedRollback;
import dev.rollbackbot.procedures.DatastoreChecks;
import dev.rollbackbot.procedures.ProcedureRegistry;
import dev.rollbackbot.procedures.TargetType;
import dev.rollbackbot.store.Jdbc;
import dev.rollbackbot.validation.ValidateProcedure;
import dev.rollbackbot.validation.ValidationStep;
import dev.rollbackbot.validation.ValidationSuite;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;

/**
 * Every procedure of the runbook, built on the bot's platforms and registered once in a {@link ProcedureRegistry}
 * (adding one is one class and one line here), with the parts of them the rest of the bot uses too.
 */
record Procedures(ProcedureRegistry planner, HttpHealthCheck health, DockerVersions versions, KubernetesVersions k8sVersions,
        LiveColours liveColours, DataRestores dataRestores, BackupListing backupListing) {

    static Procedures build(Environment env, BotConfig config, DockerJavaEngine engine, Kubernetes kubernetes, Jdbc jdbc,
            IncidentStore store, DeploymentHistory history, MeterRegistry metrics, Clock clock) {
        var health = new HttpHealthCheck(clock);
        var versions = new DockerVersions(engine, history, store, clock);
        var probes = new DatastoreProbes(new NetworkDatastoreProbe(), new ContainerDatastoreProbe(engine));
        var docker = new DockerRollbacks(config, engine, health, versions);
        var deployments = new Deployments(kubernetes);
        var k8sVersions = new KubernetesVersions(deployments, history, store::rolledBackFromPins, clock);
        var k8s = new KubernetesRollbacks(config, deployments, health, k8sVersions, clock);
        var dockerManual = new DockerManualRollback(docker);
        var k8sManual = new KubernetesManualRollback(k8s);
        var liveColours = new LiveColours(jdbc);
        // Data rollbacks (issue 8): backups folders, the services stopped during a swap, the clients, the figures
        var backupFolder = new BackupFolder();
        var dataRestores = new DataRestores(jdbc);
        var dependents = new Dependents(config, engine, health);
        var pgRestores = new PgRestores(backupFolder, dependents, d -> PgClients.forDatastore(d, env.datastorePassword(d.name()), engine),
                dataRestores, clock);
        var backupListing = new BackupListing(config, backupFolder, clock);
        java.util.function.Function<dev.rollbackbot.config.DatastoreConfig, dev.rollbackbot.data.RedisAccess> redisAccess =
                d -> RedisAccesses.forDatastore(d, engine, env.datastorePassword(d.name()), clock);
        var datastoreChecks = new DatastoreChecks(config, probes, new EmergencyRepairs(pgRestores, redisAccess));
        // the runbook's six checks: the last step of every plan, and /rollback validate
        var validation = new ValidationStep(config, new ValidationSuite(health, probes, d -> PgClients.forDatastore(d,
                env.datastorePassword(d.name()), engine), new ValidationMetrics(metrics), clock, ValidationSuite.BOUND));
        // Every procedure, registered once: adding one is one class and one line here.
        var planner = new ProcedureRegistry(config, List.of(
                dockerManual,
                new DockerEmergencyRollback(docker, datastoreChecks),
                new DockerDrill(docker, health),
                k8sManual,
                new AutomatedRollback(dockerManual), // the health monitor's: the manual steps, no approval by default
                new AutomatedRollback(k8sManual),
                new KubernetesEmergencyRollback(k8s, datastoreChecks),
                new NginxBlueGreen(config, b -> b.nginxContainer().<Nginx>map(c -> new ContainerNginx(engine, engine, c, b.nginxConf()))
                        .orElseGet(() -> new HostNginx("nginx", b.nginxConf())), health, liveColours, clock),
                new KubernetesBlueGreen(config, new ServiceSelectors(kubernetes), deployments, health, liveColours, clock),
                new PostgresRestore(config, pgRestores),
                new RedisRestore(config, backupFolder, dependents, redisAccess, dataRestores, clock),
                new ValidateProcedure(TargetType.DOCKER_CONTAINER, config, validation, s -> versions.current(s).image()),
                new ValidateProcedure(TargetType.KUBERNETES_DEPLOYMENT, config, validation, s -> k8sVersions.current(s).describe())),
                validation);
        return new Procedures(planner, health, versions, k8sVersions, liveColours, dataRestores, backupListing);
    }
}
