package dev.rollbackbot.slack;

import dev.rollbackbot.approval.ApproverDirectory;
import dev.rollbackbot.common.UserError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** User group members from {@code usergroups.users.list}, cached for a few minutes (the method is Tier 2). */
public final class SlackApproverDirectory implements ApproverDirectory {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final SlackGateway slack;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Set<String> members, Instant at) {
    }

    public SlackApproverDirectory(SlackGateway slack, Clock clock) {
        this.slack = slack;
        this.clock = clock;
    }

    @Override
    public Set<String> membersOf(String groupId) {
        Cached c = cache.get(groupId);
        if (c != null && c.at().plus(TTL).isAfter(clock.instant())) {
            return c.members();
        }
        try {
            Set<String> members = Set.copyOf(slack.groupMembers(groupId));
            cache.put(groupId, new Cached(members, clock.instant()));
            return members;
        } catch (SlackCallException e) {
            if (c != null) {
                return c.members();
            }
            throw new UserError("I could not read the members of " + Text.mention(groupId) + " from Slack (" + e.error()
                    + "), so I cannot tell whether you may approve. Ask an approver named by user id, or check the bot's"
                    + " usergroups:read scope.");
        }
    }
}
