package dev.rollbackbot.rollback;

import dev.rollbackbot.core.ChosenVersions;
import dev.rollbackbot.core.Resolution;
import dev.rollbackbot.core.RollbackKind;
import dev.rollbackbot.core.VersionChoice;
import dev.rollbackbot.incident.Incident;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A procedure written by the test: its steps and recovery are given as functions of the incident, so a test can
 * park a step (a GC pause, a slow engine), interrupt it, or change what it reports, and watch what the runner does.
 */
final class ScriptedPlanner implements Planner {
    private volatile Function<Incident, RollbackPlan> plans;

    ScriptedPlanner(Function<Incident, RollbackPlan> plans) {
        this.plans = plans;
    }

    void script(Function<Incident, RollbackPlan> plans) {
        this.plans = plans;
    }

    @Override
    public Optional<String> unsupported(RollbackKind kind, String target) {
        return Optional.empty();
    }

    @Override
    public List<String> locks(RollbackKind kind, String target) {
        return List.of(target);
    }

    @Override
    public Resolution resolve(RollbackRequest request) {
        return Resolution.of(new ChosenVersions("v2", "v1", VersionChoice.HISTORY, Optional.empty(), Optional.empty()));
    }

    @Override
    public RollbackPlan plan(Incident incident) {
        return plans.apply(incident);
    }

    @Override
    public Optional<Prepared> prepare(Incident incident) {
        return Optional.empty();
    }

    @Override
    public void discard(Incident incident) {
    }

    /**
     * A recovery that remembers, in its checkpoint, whether the service was "changed", and whose put-back runs
     * {@code putBack} and then marks it unchanged.
     */
    static final class ScriptedRecovery implements Recovery {
        volatile boolean changed;
        private final Step.Action putBack;
        private volatile CheckpointSink sink = CheckpointSink.NONE;

        ScriptedRecovery(Step.Action putBack) {
            this.putBack = putBack;
        }

        /** A step's change: saved before it is made, as ContainerSwap does. */
        void change() {
            changed = true;
            sink.save(checkpoint());
        }

        @Override
        public Optional<Step> afterFailure() {
            return changed ? Optional.of(Step.of("Put back the service", true, () -> {
                String did = putBack.run();
                changed = false;
                sink.save(checkpoint());
                return did;
            })) : Optional.empty();
        }

        @Override
        public Optional<Step> afterInterruption() {
            return afterFailure();
        }

        @Override
        public String whereThingsStand() {
            return changed ? "the service is still changed" : "";
        }

        @Override
        public String checkpoint() {
            return "changed=" + changed;
        }

        @Override
        public void checkpointTo(CheckpointSink sink) {
            this.sink = sink;
        }

        @Override
        public void resumeFrom(String checkpoint) {
            changed = checkpoint.contains("changed=true");
        }
    }
}
