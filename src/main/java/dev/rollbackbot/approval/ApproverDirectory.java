package dev.rollbackbot.approval;

import java.util.Set;

/** Who is in a user group. Implementations cache; a lookup that fails throws a UserError that says why. */
public interface ApproverDirectory {
    Set<String> membersOf(String groupId);
}
