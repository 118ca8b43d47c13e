package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestEngine;
import dev.rollbackbot.testing.TestNginx;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blue-green switches of an nginx that runs inside a podman container, reached only through the Docker Engine API
 * (exec for nginx -t and the reload, the archive API for the site file), driven through signed Slack requests.
 */
class NginxInContainerIT {
    private static final String APPROVE = "rollback_approve";
    private static final String PREFIX = "rbt-i7-nginx-";
    private static final String DIR = "/etc/rbt";
    private static final String SITE = DIR + "/site.conf";
    private static final String CONF = DIR + "/nginx.conf";
    private static final String DEFAULT_CONF = "/etc/nginx/nginx.conf";
    private static TestEngine engine;
    private static ColourServer blue;
    private static ColourServer green;
    private static int webPort;
    private static int brokenPort;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.require();
        engine.buildNginxImage();
        blue = new ColourServer("blue");
        green = new ColourServer("green");
        webPort = TestEngine.freePort();
        brokenPort = TestEngine.freePort();
        runNginx(PREFIX + "web", webPort, Map.of("blue", blue.port(), "green", green.port()), CONF);
        // no upstream red: nginx -t fails after a switch; its main config is nginx's default, so no nginx-conf is given and the
        // switched file is checked only at Approve, by the switch itself
        runNginx(PREFIX + "broken", brokenPort, Map.of("blue", blue.port()), DEFAULT_CONF);
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                services:
                  web:
                    platform: docker
                    health-url: http://127.0.0.1:%d/health
                    ready-timeout: 5s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s, container: %s, colours: [blue, green]}
                  broken:
                    platform: docker
                    health-url: http://127.0.0.1:%d/health
                    blue-green: {via: nginx, config: %s, container: %s, colours: [blue, red]}
                """.formatted(webPort, SITE, CONF, PREFIX + "web", brokenPort, SITE, PREFIX + "broken"), slack, engine.host());
    }

    private static void runNginx(String name, int port, Map<String, Integer> upstreams, String conf) throws Exception {
        engine.runNginx(name, Map.of(conf, TestNginx.mainConf(DIR, new LinkedHashMap<>(upstreams), SITE),
                SITE, TestNginx.siteText(port, "blue")), conf);
        TestBot.eventually(() -> ColourServer.get("http://127.0.0.1:" + port + "/"), a -> a.equals("200 blue"),
                "nginx in " + name + " answering blue");
    }

    @AfterAll
    static void stop() throws Exception {
        TestEngine.cleanUp(engine, PREFIX, bot, slack, blue, green);
    }

    @Test
    void anApprovedSwitchMovesTrafficThroughTheContainersNginxToTheOtherColour() throws Exception {
        bot.slack().command("U0DEV", "blue-green web move to green");
        String ts = bot.awaitCard("web");
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Prepared while you decide");
        assertThat(engine.cat(PREFIX + "web", SITE + ".next-inc-" + id)).contains("proxy_pass http://green;");
        assertThat(slack.updates(ts).get(slack.updates(ts).size() - 1).all()).contains("nginx -t of it: ok");
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(ColourServer.get("http://127.0.0.1:" + webPort + "/")).isEqualTo("200 green");
        assertThat(engine.cat(PREFIX + "web", SITE)).contains("proxy_pass http://green;").doesNotContain("http://blue");
        assertThat(engine.cat(PREFIX + "web", SITE + ".before-inc-" + id)).contains("proxy_pass http://blue;");
        assertThatThrownBy(() -> engine.cat(PREFIX + "web", SITE + ".next-inc-" + id)).as("the prepared file is gone")
                .isInstanceOf(IllegalStateException.class);
        assertThat(slack.thread(ts)).contains("nginx -t: ok", "nginx in the container " + PREFIX + "web reloaded",
                "live colour: green");
        assertThat(bot.count("select count(*) from live_colours where service = 'web' and colour = 'green' and incident_id = ?", id))
                .isEqualTo(1);
    }

    /** The reload waits out nginx's old workers, found through the engine's top; the image has no ps, as nginx's own has not. */
    @Test
    void theEngineListsTheWorkersOfTheContainersNginxWithoutPsInside() {
        try (var docker = dev.rollbackbot.docker.DockerJavaEngine.connect(engine.host())) {
            assertThat(docker.processes(PREFIX + "web")).extracting(p -> p.command()).anyMatch(c -> c.contains("nginx: worker process"))
                    .anyMatch(c -> c.contains("nginx: master process"));
            assertThat(docker.processes(PREFIX + "web")).allMatch(p -> p.pid().matches("\\d+"));
        }
    }

    @Test
    void aConfigThatFailsNginxTestInTheContainerChangesNothingAndSaysWhy() throws Exception {
        String before = engine.cat(PREFIX + "broken", SITE);
        bot.slack().command("U0DEV", "blue-green broken");
        String ts = bot.awaitCard("broken");
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "nginx -t runs at Approve");
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("nginx -t refused", "host not found in upstream", "red", "not reloaded");
        assertThat(engine.cat(PREFIX + "broken", SITE)).isEqualTo(before);
        assertThat(ColourServer.get("http://127.0.0.1:" + brokenPort + "/")).isEqualTo("200 blue");
    }
}
