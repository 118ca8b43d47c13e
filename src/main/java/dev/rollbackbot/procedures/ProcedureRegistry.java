package dev.rollbackbot.procedures;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.incident.Incident;
import dev.rollbackbot.rollback.Planner;
import dev.rollbackbot.rollback.Prepared;
import dev.rollbackbot.rollback.RollbackPlan;
import dev.rollbackbot.rollback.RollbackRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every procedure the bot can run, keyed by (kind, target type). Registering two for one key fails at start-up.
 * What is "not available yet" falls out of what is registered: there is no hand-kept list.
 */
public final class ProcedureRegistry implements Planner {
    /** A procedure's key. */
    public record Key(RollbackKind kind, TargetType type) {
        @Override
        public String toString() {
            return kind.word() + " on " + type.description();
        }
    }

    private final BotConfig config;
    private final Map<Key, Procedure> procedures;
    private final FinalStep last;

    public ProcedureRegistry(BotConfig config, List<Procedure> all) {
        this(config, all, FinalStep.NONE);
    }

    /** With {@code last} added at the end of every plan (the validation suite): every plan passes through here. */
    public ProcedureRegistry(BotConfig config, List<Procedure> all, FinalStep last) {
        this.config = config;
        this.last = last;
        Map<Key, Procedure> byKey = new LinkedHashMap<>();
        for (Procedure p : all) {
            Procedure before = byKey.putIfAbsent(new Key(p.kind(), p.type()), p);
            if (before != null) {
                throw new IllegalStateException("two procedures are registered for " + new Key(p.kind(), p.type()) + ": "
                        + before.getClass().getSimpleName() + " and " + p.getClass().getSimpleName());
            }
        }
        this.procedures = Collections.unmodifiableMap(byKey);
    }

    /** The kinds with at least one procedure registered. */
    public Set<RollbackKind> availableKinds() {
        Set<RollbackKind> kinds = EnumSet.noneOf(RollbackKind.class);
        procedures.keySet().forEach(k -> kinds.add(k.kind()));
        return kinds;
    }

    public Set<Key> keys() {
        return procedures.keySet();
    }

    @Override
    public Optional<String> unsupported(RollbackKind kind, String target) {
        try {
            procedure(kind, target);
            return Optional.empty();
        } catch (UserError e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public List<String> locks(RollbackKind kind, String target) {
        return procedure(kind, target).locks(target);
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        return procedure(request.kind(), request.target()).resolve(request);
    }

    @Override
    public RollbackPlan plan(Incident incident) {
        RollbackPlan plan = procedure(incident.kind(), incident.target()).plan(incident);
        return last.after(incident).map(plan::then).orElse(plan);
    }

    @Override
    public Optional<Prepared> prepare(Incident incident) {
        return procedure(incident.kind(), incident.target()).prepare(incident);
    }

    @Override
    public void discard(Incident incident) {
        procedure(incident.kind(), incident.target()).discard(incident);
    }

    private Procedure procedure(RollbackKind kind, String target) {
        TargetType type = TargetType.of(kind, target, config).orElseThrow(() -> new UserError(
                "There is no " + (kind == RollbackKind.DATA ? "datastore" : "service") + " `" + target + "` to run `/rollback "
                        + kind.word() + "` on" + (kind == RollbackKind.BLUE_GREEN && config.service(target).isPresent()
                                ? " (it has no blue-green section)" : "") + "."));
        Procedure p = procedures.get(new Key(kind, type));
        if (p == null) {
            throw new UserError("`/rollback " + kind.word() + "` on " + type.description() + " (`" + target + "`) is understood"
                    + " but not available yet in this version of the bot. Available now: " + availableText() + ".");
        }
        return p;
    }

    private String availableText() {
        List<String> out = new ArrayList<>();
        procedures.keySet().forEach(k -> out.add("`" + k.kind().word() + "` on " + k.type().plural()));
        return out.isEmpty() ? "no procedures" : String.join(", ", out)
                + ", and `status`, `history`, `cancel`, `ack`, `oncall`, `help`";
    }
}
