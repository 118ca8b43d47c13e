package dev.rollbackbot.approval;

import dev.rollbackbot.common.Text;
import dev.rollbackbot.config.ApprovalSettings;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.RollbackKind;
import java.util.Optional;
import java.util.stream.Collectors;

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
    public Optional<String> refusal(String user, Incident incident) {
        if (user.equals(incident.requestedBy()) && !settings.selfApproval()) {
            return Optional.of("You requested " + incident.ref() + ", so you cannot approve it (self-approval is off). Ask "
                    + approversText() + ".");
        }
        if (!isApprover(user)) {
            return Optional.of("You are not an approver for rollbacks, so your click changed nothing. Approvers: "
                    + approversText() + ".");
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

    public String approversText() {
        if (settings.approvers().isEmpty()) {
            return "nobody (no approvers are configured: add `approvals.approvers`)";
        }
        return settings.approvers().stream().map(Text::mention).collect(Collectors.joining(", "));
    }
}
