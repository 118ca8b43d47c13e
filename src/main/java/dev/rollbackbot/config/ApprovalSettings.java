package dev.rollbackbot.config;

import dev.rollbackbot.core.RollbackKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Who may approve, how many approvals each kind needs, and how long a request waits for them. */
public record ApprovalSettings(
        List<String> approvers,
        Map<RollbackKind, Integer> required,
        boolean selfApproval,
        Duration expireAfter) {

    public ApprovalSettings {
        approvers = List.copyOf(approvers);
        required = Map.copyOf(required);
    }

    public int requiredFor(RollbackKind kind) {
        return required.getOrDefault(kind, kind.defaultApprovals());
    }
}
