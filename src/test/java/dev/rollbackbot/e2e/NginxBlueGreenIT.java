package dev.rollbackbot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.testing.ColourServer;
import dev.rollbackbot.testing.FakeSlack;
import dev.rollbackbot.testing.TestBot;
import dev.rollbackbot.testing.TestNginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blue-green switches through a real nginx on this host, driven through signed Slack requests. */
class NginxBlueGreenIT {
    private static final String APPROVE = "rollback_approve";
    private static ColourServer blue;
    private static ColourServer green;
    private static ColourServer sickGreen;
    private static TestNginx web;
    private static TestNginx broken;
    private static TestNginx sick;
    private static TestNginx spare;
    private static Path both;
    private static FakeSlack slack;
    private static TestBot bot;

    @BeforeAll
    static void start() throws Exception {
        TestNginx.require();
        blue = new ColourServer("blue");
        green = new ColourServer("green");
        sickGreen = new ColourServer("sick green");
        sickGreen.answer(503);
        web = TestNginx.start(ordered("blue", blue.port(), "green", green.port()), "blue");
        broken = TestNginx.start(ordered("blue", blue.port()), "blue"); // no upstream red: nginx -t fails after a switch to red
        sick = TestNginx.start(ordered("blue", blue.port(), "green", sickGreen.port()), "blue");
        spare = TestNginx.start(ordered("blue", blue.port(), "green", green.port()), "blue");
        both = Files.createTempFile("rbt-both", ".conf");
        Files.writeString(both, "server {\n location /a { proxy_pass http://blue; }\n location /b { proxy_pass http://green; }\n}\n");
        slack = new FakeSlack();
        bot = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                services:
                  web:
                    platform: docker
                    health-url: %s
                    ready-timeout: 5s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s, colours: [blue, green]}
                  broken:
                    platform: docker
                    health-url: %s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s, colours: [blue, red]}
                  sick:
                    platform: docker
                    health-url: %s
                    ready-timeout: 1s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s}
                  spare:
                    platform: docker
                    health-url: %s
                    blue-green: {via: nginx, config: %s, nginx-conf: %s}
                  both:
                    platform: docker
                    health-url: http://127.0.0.1:9/health
                    blue-green: {via: nginx, config: %s}
                """.formatted(web.url("/health"), web.site(), web.conf(), broken.url("/health"), broken.site(), broken.conf(),
                sick.url("/health"), sick.site(), sick.conf(), spare.url("/health"), spare.site(), spare.conf(), both), slack, null);
    }

    private static Map<String, Integer> ordered(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    @AfterAll
    static void stop() throws Exception {
        if (bot != null) {
            bot.close();
            slack.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {web, broken, sick, spare, blue, green, sickGreen}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void anApprovedSwitchMovesLiveTrafficToTheOtherColourAndRecordsIt() throws Exception {
        assertThat(ColourServer.get(web.url("/"))).isEqualTo("200 blue");
        bot.slack().command("U0DEV", "blue-green web move to green");
        String ts = bot.awaitCard("web");
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Prepared while you decide");
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " succeeded");
        assertThat(ColourServer.get(web.url("/"))).isEqualTo("200 green");
        assertThat(Files.readString(web.site())).contains("proxy_pass http://green;").doesNotContain("http://blue");
        assertThat(Files.readString(Path.of(web.site() + ".before-inc-" + id))).contains("proxy_pass http://blue;");
        assertThat(slack.thread(ts)).contains("nginx -t: ok", "live colour: green");
        assertThat(strays(web)).as("the prepared file is gone once the switch ran").isEmpty();
        assertThat(bot.count("select count(*) from live_colours where service = 'web' and colour = 'green' and incident_id = ?", id))
                .isEqualTo(1);
    }

    @Test
    void aConfigThatFailsNginxTestIsFoundWhileTheApprovalWaitsAndChangesNothing() throws Exception {
        String before = Files.readString(broken.site());
        bot.slack().command("U0DEV", "blue-green broken");
        String ts = bot.awaitCard("broken");
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Preparing failed");
        bot.awaitReply(ts, "Approve will refuse to start");
        assertThat(slack.thread(ts)).contains("nginx -t refuses the switched", "host not found in upstream", "red");

        var click = bot.slack().click("U0LEAD", APPROVE, id, ts);
        assertThat(bot.awaitResponse(click.responseUrl())).contains("cannot start: preparing it failed", "not counted");
        assertThat(Files.readString(broken.site())).isEqualTo(before);
        assertThat(ColourServer.get(broken.url("/"))).isEqualTo("200 blue");
        assertThat(strays(broken)).as("no prepared file is left behind").isEmpty();
    }

    @Test
    void theSwitchedFileIsPreparedWhileTheApprovalWaitsAndRemovedOnDenyAndCancel() throws Exception {
        String before = Files.readString(spare.site());
        bot.slack().command("U0DEV", "blue-green spare");
        String ts = bot.awaitCard("spare");
        long id = bot.incidentOf(ts);
        bot.awaitCardShows(ts, "Prepared while you decide");
        assertThat(slack.updates(ts).get(slack.updates(ts).size() - 1).all()).contains("nginx -t of it: ok");
        assertThat(Files.readString(Path.of(spare.site() + ".next-inc-" + id))).contains("proxy_pass http://green;");
        assertThat(strays(spare)).containsExactly("site.conf.next-inc-" + id);

        bot.slack().click("U0LEAD", "rollback_deny", id, ts);
        bot.awaitCardShows(ts, "Denied");
        TestBot.eventually(() -> strays(spare), List::isEmpty, "the prepared file removed after Deny");

        bot.slack().command("U0DEV", "blue-green spare");
        String second = bot.awaitCard("spare", 1);
        long id2 = bot.incidentOf(second);
        bot.awaitCardShows(second, "Prepared while you decide");
        bot.slack().command("U0DEV", "cancel INC-" + id2);
        bot.awaitCardShows(second, "Cancelled");
        TestBot.eventually(() -> strays(spare), List::isEmpty, "the prepared file removed after cancel");
        assertThat(Files.readString(spare.site())).isEqualTo(before);
        assertThat(ColourServer.get(spare.url("/"))).isEqualTo("200 blue");
    }

    @Test
    void theSwitchedFileIsRemovedWhenTheRequestExpires() throws Exception {
        try (FakeSlack own = new FakeSlack(); TestBot quick = TestBot.start("""
                slack: {channel: C0OPS}
                approvals:
                  approvers: [U0LEAD]
                  expire-after: 2s
                services:
                  spare: {platform: docker, health-url: %s, blue-green: {via: nginx, config: %s, nginx-conf: %s}}
                """.formatted(spare.url("/health"), spare.site(), spare.conf()), own, null)) {
            quick.slack().command("U0DEV", "blue-green spare");
            String ts = quick.awaitCard("spare");
            quick.awaitCardShows(ts, "Prepared while you decide");
            quick.awaitCardShows(ts, "Expired");
            TestBot.eventually(() -> strays(spare), List::isEmpty, "the prepared file removed after expiry");
            assertThat(own.thread(ts)).doesNotContain("Preparing failed");
            assertThat(ColourServer.get(spare.url("/"))).isEqualTo("200 blue");
        }
    }

    /** Files the bot prepared and left in the nginx's folder: {@code *.next-inc-*}. */
    private static List<String> strays(TestNginx n) {
        try (var files = Files.list(n.dir())) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.contains(".next-inc-")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aColourThatDoesNotAnswerThroughNginxIsSwitchedBack() throws Exception {
        bot.slack().command("U0DEV", "blue-green sick");
        String ts = bot.awaitCard("sick");
        long id = bot.incidentOf(ts);
        bot.slack().click("U0LEAD", APPROVE, id, ts);

        bot.awaitReply(ts, "INC-" + id + " failed");
        assertThat(slack.thread(ts)).contains("did not answer 200", "Recovery", "live now: traffic goes to blue again");
        assertThat(ColourServer.get(sick.url("/"))).isEqualTo("200 blue");
        assertThat(Files.readString(sick.site())).contains("proxy_pass http://blue;");
    }

    @Test
    void aSiteFileNamingBothColoursIsRefusedBeforeApproval() {
        var ack = bot.slack().command("U0DEV", "blue-green both");
        assertThat(bot.awaitResponse(ack.responseUrl())).contains("sends traffic to both blue and green", "nothing was planned");
        TestBot.stays("no card for both", () -> assertThat(slack.postedCards()).noneMatch(c -> c.call().text().contains("of both")));
    }
}
