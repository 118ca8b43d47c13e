package dev.rollbackbot.approval;

import dev.rollbackbot.common.Message;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import java.util.List;
import java.util.Optional;

/** Who may approve which request: configured users, members of configured groups, never the requester unless allowed. */
public final class ApprovalPolicy {
    private final ApprovalSettings settings;
    private final ApproverDirectory directory;

    public ApprovalPolicy(ApprovalSettings settings, ApproverDirectory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    public int required(RollbackKind kind) {
        return settings.requiredFor(kind);
    }

    /** Why {@code user} may not approve {@code incident}, or empty when they may. */
    public Optional<Message> refusal(String user, Incident incident) {
        if (incident.requester().is(user) && !settings.selfApproval()) {
            return Optional.of(Message.text("You requested " + incident.ref() + ", so you cannot approve it (self-approval is off)."
                    + " Ask ").then(approvers()).then("."));
        }
        if (!isApprover(user)) {
            return Optional.of(Message.text("You are not an approver for rollbacks, so your click changed nothing. Approvers: ")
                    .then(approvers()).then("."));
        }
        return Optional.empty();
    }

    public boolean isApprover(String user) {
        if (settings.approvers().contains(user)) {
            return true;
        }
        for (String id : settings.approvers()) {
            if (id.startsWith("S") && directory.membersOf(id).contains(user)) {
                return true;
            }
        }
        return false;
    }

    /** The configured approvers as mentions, or what to configure when there are none. */
    public Message approvers() {
        if (settings.approvers().isEmpty()) {
            return Message.text("nobody (no approvers are configured: add `approvals.approvers`)");
        }
        List<Message> who = settings.approvers().stream().map(id -> Message.empty().mention(id)).toList();
        return Message.join(", ", who);
    }
}
