package dev.rollbackbot.escalation;

import dev.rollbackbot.core.Requester;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.incident.IncidentStore;
import dev.rollbackbot.incident.TimelineEvent;
import dev.rollbackbot.rollback.IncidentListener;
import java.util.EnumSet;
import java.util.Set;

/**
 * Opens and stops escalations from the incident event stream: an emergency, automated or data request, or any request
 * of the health monitor, opens one at once (while its approval is pending); a failed or interrupted run opens one unless one is open (not for a
 * {@code validate}, which changes nothing and answers whoever asked); a success, a denial,
 * a cancellation or a request that could not be planned stops it. An expired request keeps paging: nobody answered.
 */
public final class EscalationListener implements IncidentListener {
    static final Set<RollbackKind> PAGE_AT_ONCE = EnumSet.of(RollbackKind.EMERGENCY, RollbackKind.AUTOMATED, RollbackKind.DATA);

    private final Escalations escalations;
    private final IncidentStore incidents;

    public EscalationListener(Escalations escalations, IncidentStore incidents) {
        this.escalations = escalations;
        this.incidents = incidents;
    }

    @Override
    public void onEvent(TimelineEvent e) {
        long id = e.incidentId();
        switch (e.type()) {
            case REQUESTED -> incidents.find(id).ifPresent(inc -> {
                if (PAGE_AT_ONCE.contains(inc.kind())) {
                    escalations.open(id, inc.kind().word() + " rollback requested");
                } else if (inc.requester().kind() == Requester.Kind.MONITOR) { // auto-rollback: false, nobody at the keyboard
                    escalations.open(id, "the health monitor asks for approval to roll back " + inc.target() + ": " + inc.reason());
                }
            });
            case FAILED -> unlessValidation(id, () -> escalations.open(id, ref(id) + " failed"));
            case INTERRUPTED -> unlessValidation(id, () -> escalations.open(id, ref(id) + " was interrupted"));
            case SUCCEEDED -> escalations.stop(id, ref(id) + " succeeded, so the incident is resolved");
            case DENIED -> escalations.stop(id, ref(id) + " was denied");
            case CANCELLED -> escalations.stop(id, ref(id) + " was cancelled");
            case REFUSED -> escalations.stop(id, ref(id) + " could not be planned");
            default -> {
            }
        }
    }

    /**
     * A {@code /rollback validate} changed nothing and answers the person who asked: its failure pages nobody. (A
     * rollback whose last step, the validation, fails is a FAILED rollback and pages as any other.)
     */
    private void unlessValidation(long id, Runnable open) {
        if (incidents.find(id).map(inc -> inc.kind() != RollbackKind.VALIDATE).orElse(true)) {
            open.run();
        }
    }

    private String ref(long id) {
        return incidents.find(id).map(Incident::ref).orElse("INC-" + id);
    }
}
