package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.testing.Golden;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The thread replies of whole runs: one golden file, every event type, in the order people see them. */
class ThreadRendererGoldenTest {
    private final ThreadRenderer renderer = new ThreadRenderer();

    /** One timeline event and the incident as the reporter reads it when replying. */
    record Reply(String story, TimelineEvent event, Incident incident, int planSize) {
        Optional<SlackMessage> render(ThreadRenderer r) {
            return r.reply(event, incident, planSize);
        }
    }

    static List<Reply> replies() {
        List<Reply> all = new ArrayList<>();
        add(all, "emergency rollback that succeeds", Fixtures.succeeded());
        add(all, "manual rollback whose health check fails, then recovery", Fixtures.failedWithRecovery());
        add(all, "denied by an approver", Fixtures.denied());
        add(all, "cancelled by the requester", Fixtures.cancelled());
        CardView posting = Fixtures.pendingEmergency();
        all.add(new Reply("cancelled because the card could not be posted", TimelineEvent.of(41, Fixtures.T0.plusSeconds(2),
                EventType.CANCELLED, null, "could not post the approval card: not_in_channel"), posting.incident(), 5));
        add(all, "expired without approval", Fixtures.expired());
        add(all, "/rollback validate: every check passes or is skipped", Fixtures.validateSucceeded());
        add(all, "/rollback validate: Redis does not answer", Fixtures.validateFailed());
        add(all, "prepared while the approval waits", Fixtures.pendingPrepared());
        add(all, "preparing failed: Approve will refuse", Fixtures.pendingPrepareFailed());
        add(all, "interrupted by a shutdown mid-run", Fixtures.interrupted());
        all.add(new Reply("interrupted: approved while the bot was stopping", TimelineEvent.of(41, Fixtures.T0.plusSeconds(60),
                EventType.INTERRUPTED, null, "the bot was shutting down when it was approved; nothing ran. Request it again."),
                posting.incident(), 5));
        CardView running = Fixtures.running();
        add(all, "a long step reports its progress", running);
        all.add(new Reply("taken over from a replica that went silent", TimelineEvent.of(43, Fixtures.T0.plusSeconds(90),
                EventType.TAKEN_OVER, null, "replica bot-b/2211/5e1f0c2a took it over: the replica running it went silent"
                        + " during step 2 (" + Fixtures.EMERGENCY_PLAN.get(1) + "); putting back what it changed"),
                running.incident(), 5));
        all.add(new Reply("the silent replica wakes up and finds its lease lost", TimelineEvent.of(43, Fixtures.T0.plusSeconds(95),
                EventType.LEASE_LOST, null, "replica bot-a/1042/9c0d7e11 lost it during step 2 (" + Fixtures.EMERGENCY_PLAN.get(1)
                        + "); putting back what it changed"), running.incident(), 5));
        all.add(new Reply("refused: could not be planned", TimelineEvent.of(52, Fixtures.T0, EventType.REFUSED, null,
                "Unknown service api-staging."), posting.incident(), 0));
        // escalation: the pages are their own messages (with the Acknowledge button), so their events add no reply
        var pending = posting.incident();
        var t = Fixtures.T0;
        all.add(new Reply("escalation opened for an emergency", TimelineEvent.of(41, t.plusSeconds(1), EventType.ESCALATION_OPENED,
                null, "emergency rollback requested"), pending, 5));
        all.add(new Reply("escalation: L1 paged", TimelineEvent.of(41, t.plusSeconds(1), EventType.PAGED, null,
                "L1: DevOps Engineer, paged U0DEVOPS"), pending, 5));
        all.add(new Reply("escalation: page in the thread", TimelineEvent.of(41, t.plusSeconds(1), EventType.PAGE_THREAD, null,
                "L1 in the thread"), pending, 5));
        all.add(new Reply("escalation: page by DM", TimelineEvent.of(41, t.plusSeconds(1), EventType.PAGE_DM, "U0DEVOPS",
                "L1 by direct message"), pending, 5));
        all.add(new Reply("escalation: page by email", TimelineEvent.of(41, t.plusSeconds(1), EventType.PAGE_EMAIL, null,
                "L1 emailed to devops@company.com"), pending, 5));
        all.add(new Reply("escalation: a DM failed", TimelineEvent.of(41, t.plusSeconds(1), EventType.PAGE_FAILED, null,
                "direct message to U0GONE: user_not_found"), pending, 5));
        all.add(new Reply("escalation acknowledged", new TimelineEvent(41, t.plusSeconds(95), EventType.ACKNOWLEDGED,
                java.util.Optional.of("U0DEVOPS"), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of(java.time.Duration.ofSeconds(94)), java.util.Optional.of("after 2 pages")), pending, 5));
        all.add(new Reply("escalation stopped by success", TimelineEvent.of(41, t.plusSeconds(120), EventType.ESCALATION_STOPPED,
                null, "INC-41 succeeded, so the incident is resolved"), pending, 5));
        all.add(new Reply("the health monitor sees the service healthy again", new TimelineEvent(41, t.plusSeconds(130),
                EventType.HEALTHY_AGAIN, java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of(java.time.Duration.ofSeconds(97)), java.util.Optional.of(
                        "1 min 37 s of downtime, from the first failed health check at 03:00:33 UTC to healthy at 03:02:10 UTC"
                        + " (the health monitor)")), pending, 5));
        return all;
    }

    private static void add(List<Reply> all, String story, CardView v) {
        v.timeline().forEach(e -> all.add(new Reply(story, e, v.incident(), v.plan().size())));
    }

    /** Escalation events whose Slack message is the page itself, posted by the pager. */
    private static final Set<EventType> SILENT = EnumSet.of(EventType.ESCALATION_OPENED, EventType.PAGED, EventType.PAGE_THREAD,
            EventType.PAGE_DM, EventType.PAGE_EMAIL, EventType.PAGE_FAILED);

    @Test
    void matchesGoldenFile() {
        JsonArray out = new JsonArray();
        for (Reply r : replies()) {
            JsonObject o = new JsonObject();
            o.addProperty("story", r.story());
            o.addProperty("event", r.event().type().name() + r.event().stepNo().map(n -> " " + n).orElse(""));
            o.add("reply", r.render(renderer).<com.google.gson.JsonElement>map(Golden::tree).orElse(JsonNull.INSTANCE));
            out.add(o);
        }
        Golden.check("thread-replies", out);
    }

    @Test
    void coversEveryEventType() {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        replies().forEach(r -> seen.add(r.event().type()));
        assertThat(seen).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void requestedRefusedAndPreparedRenderNothingEverythingElseRendersPlainText() {
        for (Reply r : replies()) {
            Optional<SlackMessage> m = r.render(renderer);
            EventType t = r.event().type();
            if (t == EventType.REQUESTED || t == EventType.REFUSED || t == EventType.PREPARED || SILENT.contains(t)) {
                assertThat(m).as("%s", t).isEmpty();
                continue;
            }
            assertThat(m).as("%s", t).isPresent();
            assertThat(m.get().blocks()).as("thread replies are plain text").isEmpty();
            assertThat(m.get().text()).as("%s", t).isNotBlank().hasSizeLessThanOrEqualTo(3_900)
                    .doesNotContain("null", "Optional[", "Optional.empty", "->", "-&gt;", ": .", "?");
        }
    }

    @Test
    void startedShowsTheVersionsAsTheCardDoes() {
        Reply started = replies().stream().filter(r -> r.event().type() == EventType.STARTED).findFirst().orElseThrow();
        assertThat(started.render(renderer).orElseThrow().text())
                .isEqualTo("🔄 Rollback started: `" + Fixtures.OLD + "` → `" + Fixtures.NEW + "`.");
    }

    @Test
    void escapesUserTextAndLongDetails() {
        Incident inc = Fixtures.failedWithRecovery().incident();
        String hostile = "<!channel> & <@U999> " + "x".repeat(5_000);
        TimelineEvent failed = TimelineEvent.of(45, Instant.parse("2026-11-29T03:05:00Z"), EventType.FAILED, null, hostile);
        String text = renderer.reply(failed, inc, 3).orElseThrow().text();
        assertThat(text).doesNotContain("<!channel>", "<@U999>").contains("&lt;!channel&gt; &amp; &lt;@U999&gt;")
                .hasSizeLessThanOrEqualTo(3_900).endsWith("…");
        TimelineEvent step = TimelineEvent.step(45, Instant.parse("2026-11-29T03:05:00Z"), EventType.STEP_STARTED, 1,
                "Stop <@U999>", null, null);
        assertThat(renderer.reply(step, inc, 3).orElseThrow().text()).contains("Stop &lt;@U999&gt;");
    }
}
