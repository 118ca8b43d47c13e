package dev.rollbackbot.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.rollbackbot.docker.ContainerEngine.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command in a running container through the engine's exec API: its exit code and its first 8,000 characters of output. */
final class ContainerExec {
    /** Logged under the facade's name, as before the split. */
    private static final Logger log = LoggerFactory.getLogger(DockerJavaEngine.class);

    private final EngineConnection engine;

    ContainerExec(EngineConnection engine) {
        this.engine = engine;
    }

    ExecResult exec(String container, List<String> command, Map<String, String> env, Duration timeout) {
        return engine.call("exec in " + container, () -> {
            var create = engine.client().execCreateCmd(container).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true);
            if (!env.isEmpty()) {
                create = create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
            String execId = create.exec().getId();
            StringBuilder out = new StringBuilder();
            try (ResultCallback.Adapter<Frame> cb = engine.client().execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        if (out.length() < 8_000) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                }
            })) {
                if (!cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    return new ExecResult(-1, "no answer within " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecResult(-1, "interrupted");
            } catch (IOException e) {
                log.debug("closing exec stream", e);
            }
            Long code = engine.client().inspectExecCmd(execId).exec().getExitCodeLong();
            synchronized (out) {
                return new ExecResult(code == null ? -1 : code.intValue(), out.toString().strip());
            }
        });
    }
}
