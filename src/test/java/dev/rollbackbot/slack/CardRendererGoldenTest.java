package dev.rollbackbot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentState;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.testing.Golden;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The approval card in each state of an incident: golden files, plus Slack's limits and the buttons checked directly. */
class CardRendererGoldenTest {
    private final CardRenderer renderer = new CardRenderer();

    static Stream<Arguments> cards() {
        return java.util.stream.Stream.concat(Fixtures.cards().entrySet().stream(), Fixtures.validationCards().entrySet().stream())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void matchesGoldenFile(String name, CardView view) {
        Golden.check("card-" + name, renderer.render(view));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void staysWithinSlackLimits(String name, CardView view) {
        assertWithinLimits(renderer.render(view));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void offersApproveAndDenyOnlyWhilePending(String name, CardView view) {
        Incident inc = view.incident();
        List<ButtonElement> buttons = buttons(renderer.render(view));
        if (inc.state() != IncidentState.PENDING) {
            assertThat(buttons).as("buttons on a %s card", inc.state()).isEmpty();
            return;
        }
        assertThat(buttons).extracting(b -> b.getText().getText()).containsExactly("Approve", "Deny");
        assertThat(buttons).extracting(ButtonElement::getActionId)
                .containsExactly(CardRenderer.APPROVE, CardRenderer.DENY)
                .containsExactly("rollback_approve", "rollback_deny");
        assertThat(buttons).extracting(ButtonElement::getValue).containsOnly(String.valueOf(inc.id()));
        assertThat(buttons).extracting(ButtonElement::getStyle).containsExactly("primary", "danger");
        ConfirmationDialogObject confirm = buttons.get(0).getConfirm();
        assertThat(confirm).as("Approve asks for confirmation").isNotNull();
        assertThat(confirm.getTitle().getText()).isEqualTo("Approve " + inc.ref() + "?");
        assertThat(confirm.getText().getText()).contains("`" + inc.toVersion().orElseThrow() + "`").doesNotContain("null");
        assertThat(buttons.get(1).getConfirm()).as("Deny changes nothing, so it needs no confirmation").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void fallbackTextNamesTheIncidentAndItsState(String name, CardView view) {
        SlackMessage m = renderer.render(view);
        assertThat(m.text()).isNotBlank().startsWith(view.incident().ref() + ": ")
                .endsWith(view.incident().state().description());
        assertThat(Golden.json(m)).doesNotContain("null", "Optional[", "Optional.empty");
    }

    @Test
    void approveSaysItStartsTheRunOnlyWhenItIsTheLastApprovalNeeded() {
        CardView second = Fixtures.pendingData();
        CardView first = new CardView(second.incident(), second.plan(), List.of(), second.timeline(), second.approvers(),
                second.targetDescription());
        assertThat(buttons(renderer.render(first)).get(0).getConfirm().getText().getText()).isEqualTo("This records your"
                + " approval (1 of 2) of the data rollback of `orders-db` to `backup orders-2026-11-29T02-00Z.dump`."
                + " It starts when 2 approvers have approved.");
        assertThat(buttons(renderer.render(second)).get(0).getConfirm().getText().getText())
                .isEqualTo("This starts the data rollback of `orders-db` to `backup orders-2026-11-29T02-00Z.dump` now.");
    }

    @Test
    void onlyAPendingCardWaitsForApprovalsYet() {
        assertThat(sectionTexts(renderer.render(Fixtures.pendingEmergency())).get(2)).startsWith("*Approvals:* 0 of 1 (none yet)");
        for (CardView closed : List.of(Fixtures.denied(), Fixtures.expired(), Fixtures.cancelled())) {
            assertThat(sectionTexts(renderer.render(closed)).get(2)).isEqualTo("*Approvals:* 0 of 1 (none)");
        }
    }

    @Test
    void aStepThatNeverEndedIsShownAsUnfinishedOnceTheRunIsOver() {
        String running = sectionTexts(renderer.render(Fixtures.running())).get(1);
        String interrupted = sectionTexts(renderer.render(Fixtures.interrupted())).get(1);
        assertThat(running).contains("\n▶️ 2. Restore").doesNotContain("did not finish");
        assertThat(interrupted).contains("\n⚠️ 2. Restore").contains("_(did not finish)_").doesNotContain("▶️");
    }

    @Test
    void escapesMentionsAndAmpersandsInTheReason() {
        Fixtures.Inc i = Fixtures.inc(50, RollbackKind.EMERGENCY);
        i.reason = "<!channel> & <@U999> checkout is down <https://evil.example|click>";
        SlackMessage m = renderer.render(Fixtures.view(i.build(), Fixtures.EMERGENCY_PLAN, List.of(),
                new Fixtures.Run(50).requested(RollbackKind.EMERGENCY, i.reason)));
        String json = Golden.json(m);
        assertThat(json).doesNotContain("<!channel>", "<@U999>", "<https://evil", " & ")
                .contains("&lt;!channel&gt; &amp; &lt;@U999&gt; checkout is down &lt;https://evil.example|click&gt;");
        assertWithinLimits(m);
    }

    @Test
    void aLongReasonStaysWithinLimits() {
        String reason = "checkout & payments fail <again> after deploy 2.3.1; ".repeat(10).substring(0, 500);
        assertThat(reason).hasSize(500);
        SlackMessage m = renderer.render(withReason(reason));
        assertWithinLimits(m);
        assertThat(sectionTexts(m).get(0)).as("500 characters are shown whole")
                .isEqualTo("*Reason:* " + reason.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));

        SlackMessage worst = renderer.render(withReason("<".repeat(500)));
        assertWithinLimits(worst);

        SlackMessage longer = renderer.render(withReason("x".repeat(2_000)));
        assertWithinLimits(longer);
        assertThat(sectionTexts(longer).get(0)).endsWith("x…").hasSizeLessThan(520);
    }

    private static CardView withReason(String reason) {
        Fixtures.Inc i = Fixtures.inc(51, RollbackKind.MANUAL);
        i.reason = reason;
        return Fixtures.view(i.build(), Fixtures.manualPlan(51), List.of(), new Fixtures.Run(51));
    }

    /** Slack's documented Block Kit limits, and a non-blank notification text. */
    static void assertWithinLimits(SlackMessage m) {
        assertThat(m.text()).as("fallback text").isNotBlank().hasSizeLessThanOrEqualTo(4_000);
        assertThat(m.blocks()).as("blocks").isNotEmpty().hasSizeLessThanOrEqualTo(50);
        for (LayoutBlock b : m.blocks()) {
            if (b instanceof HeaderBlock h) {
                assertThat(h.getText().getType()).isEqualTo("plain_text");
                assertThat(h.getText().getText()).as("header").isNotBlank().hasSizeLessThanOrEqualTo(150);
            } else if (b instanceof SectionBlock s) {
                assertThat(s.getText().getText()).as("section text").isNotBlank().hasSizeLessThanOrEqualTo(3_000);
                List<TextObject> fields = s.getFields() == null ? List.of() : s.getFields();
                assertThat(fields).as("section fields").hasSizeLessThanOrEqualTo(10);
                fields.forEach(f -> assertThat(f.getText()).as("field").isNotBlank().hasSizeLessThanOrEqualTo(2_000));
            } else if (b instanceof ContextBlock c) {
                assertThat(c.getElements()).hasSizeBetween(1, 10);
            } else if (b instanceof ActionsBlock a) {
                assertThat(a.getElements()).hasSizeBetween(1, 25);
                assertThat(a.getBlockId()).hasSizeLessThanOrEqualTo(255);
            }
        }
        for (ButtonElement btn : buttons(m)) {
            assertThat(btn.getText().getText()).hasSizeLessThanOrEqualTo(75);
            assertThat(btn.getActionId()).hasSizeLessThanOrEqualTo(255);
            assertThat(btn.getValue()).hasSizeLessThanOrEqualTo(2_000);
            if (btn.getConfirm() != null) {
                assertThat(btn.getConfirm().getTitle().getText()).hasSizeLessThanOrEqualTo(100);
                assertThat(btn.getConfirm().getText().getText()).hasSizeLessThanOrEqualTo(300);
                assertThat(btn.getConfirm().getConfirm().getText()).hasSizeLessThanOrEqualTo(30);
                assertThat(btn.getConfirm().getDeny().getText()).hasSizeLessThanOrEqualTo(30);
            }
        }
    }

    static List<ButtonElement> buttons(SlackMessage m) {
        return m.blocks().stream().filter(ActionsBlock.class::isInstance).map(ActionsBlock.class::cast)
                .flatMap(a -> a.getElements().stream()).map(CardRendererGoldenTest::button).toList();
    }

    private static ButtonElement button(BlockElement e) {
        assertThat(e).isInstanceOf(ButtonElement.class);
        return (ButtonElement) e;
    }

    private static List<String> sectionTexts(SlackMessage m) {
        return m.blocks().stream().filter(SectionBlock.class::isInstance).map(b -> ((SectionBlock) b).getText().getText()).toList();
    }
}
