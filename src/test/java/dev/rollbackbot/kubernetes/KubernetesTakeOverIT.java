package dev.rollbackbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.core.Pin;
import dev.rollbackbot.health.HttpHealthCheck;
import dev.rollbackbot.rollback.Step;
import dev.rollbackbot.rollback.StepFailure;
import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeCluster;
import dev.rollbackbot.testing.TestBot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes rollbacks and selector switches when the lease is lost or another replica takes over a silent run, on
 * fabric8's mock API server with the fake controller: a refused checkpoint stops the change before it is made, and the
 * replica that takes over puts things back from the saved checkpoint alone.
 */
class KubernetesTakeOverIT {
    private static FakeCluster cluster;
    private static ColourServer ok;
    private static Kubernetes kubernetes;
    private static Deployments deployments;
    private static ServiceSelectors selectors;

    @BeforeAll
    static void start() throws Exception {
        cluster = new FakeCluster();
        ok = new ColourServer("ok");
        kubernetes = Kubernetes.of(cluster.client());
        deployments = new Deployments(kubernetes);
        selectors = new ServiceSelectors(kubernetes);
    }

    @AfterAll
    static void stop() {
        ok.close();
        cluster.close();
    }

    private static ServiceConfig service(String name, String extra) {
        return ConfigLoader.parse("k.yml", """
                slack: {channel: C0OPS}
                services:
                  %s: {platform: kubernetes, namespace: prod, deployment: %s, health-url: "http://127.0.0.1:%d/health", ready-timeout: 10s%s}
                """.formatted(name, name, ok.port(), extra)).service(name).orElseThrow();
    }

    private static String run(Optional<Step> step) throws Exception {
        return step.orElseThrow(() -> new AssertionError("no recovery step")).run();
    }

    private static KubernetesRollout rollout(ServiceConfig s, List<String> checkpoints) {
        List<Deployments.Revision> revs = deployments.revisions("prod", s.deployment());
        Deployments.Revision now = revs.get(0);
        Deployments.Revision before = revs.get(1);
        KubernetesRollout r = new KubernetesRollout(deployments, new HttpHealthCheck(Clock.systemUTC()), Clock.systemUTC(), s,
                new KubernetesRollout.Target(now.describe(), new Pin(now.hash()), before.describe(), new Pin(before.hash())), () -> { });
        r.checkpointTo(checkpoints::add);
        return r;
    }

    private static void twoReleases(String name) {
        cluster.deploy("prod", name, 2, "reg/" + name + ":1");
        TestBot.eventually(() -> cluster.rolledOut("prod", name), r -> r, name + " v1 rolled out");
        cluster.setImage("prod", name, "reg/" + name + ":2");
        TestBot.eventually(() -> cluster.rolledOut("prod", name), r -> r, name + " v2 rolled out");
    }

    @Test
    void aLostLeaseStopsTheRollbackBeforeTheDeploymentChanges() {
        twoReleases("lost");
        KubernetesRollout r = rollout(service("lost", ""), new ArrayList<>());
        r.checkpointTo(cp -> false);

        assertThatThrownBy(r::rollBack).isInstanceOf(StepFailure.class).hasMessageContaining("lost its lease");
        assertThat(cluster.image("prod", "lost")).isEqualTo("reg/lost:2");
    }

    @Test
    void aReplicaThatTakesOverARollbackPutsTheRevisionBeforeBackFromTheCheckpoint() throws Exception {
        twoReleases("silent");
        List<String> checkpoints = new ArrayList<>();
        ServiceConfig s = service("silent", "");
        rollout(s, checkpoints).rollBack(); // ...and then this replica goes silent during the wait
        assertThat(cluster.image("prod", "silent")).isEqualTo("reg/silent:1");

        // the taker plans from the incident's approved pins, not from what runs now
        KubernetesRollout taker = new KubernetesRollout(deployments, new HttpHealthCheck(Clock.systemUTC()), Clock.systemUTC(), s, targetOf(s), () -> { });
        taker.resumeFrom(checkpoints.get(checkpoints.size() - 1));
        assertThat(run(taker.afterFailure())).contains("reg/silent:2");

        assertThat(cluster.image("prod", "silent")).isEqualTo("reg/silent:2");
        TestBot.eventually(() -> cluster.rolledOut("prod", "silent"), r -> r, "silent back on v2");
    }

    /** The target as approved before the rollback: from the newest revision with reg/NAME:2 to the one with reg/NAME:1. */
    private static KubernetesRollout.Target targetOf(ServiceConfig s) {
        List<Deployments.Revision> revs = deployments.revisions("prod", s.deployment());
        Deployments.Revision two = revs.stream().filter(r -> r.images().get(0).endsWith(":2")).findFirst().orElseThrow();
        Deployments.Revision one = revs.stream().filter(r -> r.images().get(0).endsWith(":1")).findFirst().orElseThrow();
        return new KubernetesRollout.Target(two.describe(), new Pin(two.hash()), one.describe(), new Pin(one.hash()));
    }

    private static SelectorSwitch selectorSwitch(ServiceConfig s, List<String> checkpoints, List<String> live) {
        SelectorSwitch sw = new SelectorSwitch(selectors, deployments, new HttpHealthCheck(Clock.systemUTC()), s, s.name(), "colour",
                "blue", "green", Map.of("app", s.name(), "colour", "blue"), live::add);
        sw.checkpointTo(checkpoints::add);
        return sw;
    }

    private static ServiceConfig blueGreen(String app) {
        cluster.deployColour("prod", app, "blue", 2, "reg/" + app + ":1");
        cluster.deployColour("prod", app, "green", 2, "reg/" + app + ":2");
        cluster.service("prod", app, Map.of("app", app, "colour", "blue"));
        return ConfigLoader.parse("k.yml", """
                slack: {channel: C0OPS}
                services:
                  %s: {platform: kubernetes, namespace: prod, health-url: "http://127.0.0.1:%d/health", ready-timeout: 2s, blue-green: {via: service, service: %s}}
                """.formatted(app, ok.port(), app)).service(app).orElseThrow();
    }

    @Test
    void aLostLeaseStopsTheSelectorSwitchBeforeTheServiceChanges() {
        ServiceConfig s = blueGreen("bglost");
        SelectorSwitch sw = selectorSwitch(s, new ArrayList<>(), new ArrayList<>());
        sw.checkpointTo(cp -> false);

        assertThatThrownBy(sw::switchTraffic).isInstanceOf(StepFailure.class).hasMessageContaining("lost its lease");
        assertThat(cluster.selector("prod", "bglost")).containsEntry("colour", "blue");
    }

    @Test
    void aReplicaThatTakesOverASelectorSwitchPutsTheSelectorBackFromTheCheckpoint() throws Exception {
        ServiceConfig s = blueGreen("bgsilent");
        List<String> checkpoints = new ArrayList<>();
        selectorSwitch(s, checkpoints, new ArrayList<>()).switchTraffic(); // ...and then this replica goes silent
        assertThat(cluster.selector("prod", "bgsilent")).containsEntry("colour", "green");

        List<String> live = new ArrayList<>();
        SelectorSwitch taker = selectorSwitch(s, new ArrayList<>(), live);
        taker.resumeFrom(checkpoints.get(checkpoints.size() - 1));
        assertThat(taker.whereThingsStand()).contains("may send traffic to green", "kubectl -n prod patch service bgsilent",
                "{\"app\":\"bgsilent\",\"colour\":\"blue\"}");
        assertThat(run(taker.afterFailure())).contains("live now: traffic goes to blue again", "selects app=bgsilent,colour=blue again");

        assertThat(cluster.selector("prod", "bgsilent")).containsEntry("colour", "blue");
        assertThat(live).containsExactly("blue");
    }
}
