package dev.rollbackbot.slack;

import dev.rollbackbot.approval.ApproverDirectory;
import dev.rollbackbot.escalation.Escalations;
import dev.rollbackbot.escalation.Page;
import dev.rollbackbot.escalation.Pager;
import dev.rollbackbot.incident.EventType;
import dev.rollbackbot.incident.Incident;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pages through Slack: a reply in the incident's thread mentioning the level's people and groups, and a DM to each
 * person ({@code conversations.open}, then {@code chat.postMessage}), group members read with
 * {@code usergroups.users.list}. Also gives the card's permalink for every channel's link.
 */
public final class SlackPager implements Pager, Escalations.CardLinks {
    private final SlackGateway slack;
    private final ApproverDirectory directory;
    private final PageRenderer renderer = new PageRenderer();

    public SlackPager(SlackGateway slack, ApproverDirectory directory) {
        this.slack = slack;
        this.directory = directory;
    }

    @Override
    public Optional<String> link(Incident inc) {
        if (inc.channelId().isEmpty() || inc.messageTs().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(slack.permalink(inc.channelId().get(), inc.messageTs().get()));
    }

    @Override
    public List<Delivery> send(Page page) {
        List<Delivery> out = new ArrayList<>();
        Incident inc = page.incident();
        if (inc.channelId().isPresent() && inc.messageTs().isPresent()) {
            try {
                slack.post(inc.channelId().get(), renderer.render(page, true), inc.messageTs().get());
                out.add(new Delivery(EventType.PAGE_THREAD, null, page.level().name() + " in the thread"));
            } catch (RuntimeException e) {
                out.add(Delivery.failed("thread", e.getMessage()));
            }
        } else {
            out.add(Delivery.failed("thread", "the incident has no card to reply to"));
        }
        Set<String> people = new LinkedHashSet<>();
        for (String id : page.level().page()) {
            if (id.startsWith("S")) {
                try {
                    people.addAll(directory.membersOf(id));
                } catch (RuntimeException e) {
                    out.add(Delivery.failed("members of " + id, e.getMessage()));
                }
            } else {
                people.add(id);
            }
        }
        SlackMessage dm = renderer.render(page, false);
        for (String user : people) {
            try {
                slack.post(slack.openDm(user), dm, null);
                out.add(new Delivery(EventType.PAGE_DM, user, page.level().name() + " by direct message"));
            } catch (RuntimeException e) {
                out.add(Delivery.failed("direct message to " + user, e.getMessage()));
            }
        }
        return out;
    }
}
