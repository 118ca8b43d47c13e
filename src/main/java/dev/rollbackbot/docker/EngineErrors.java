package dev.rollbackbot.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import dev.rollbackbot.common.Errors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed engine call becomes: an {@link EngineException} that names the engine and what was asked, with the
 * engine's own message when it refused, or the reason it could not be reached and what to check.
 */
final class EngineErrors {
    /** Logged under the facade's name, as before the split. */
    private static final Logger log = LoggerFactory.getLogger(DockerJavaEngine.class);

    private static final ObjectMapper ERROR_JSON = new ObjectMapper();

    private EngineErrors() {
    }

    /** Runs {@code action}; an engine at {@code engine} that refuses or cannot be reached becomes an {@link EngineException}. */
    static <T> T translate(String what, Supplier<String> engine, Supplier<T> action) {
        try {
            return action.get();
        } catch (DockerException e) {
            throw new EngineException("the container engine at " + engine.get() + " refused to " + what + ": " + engineMessage(e));
        } catch (RuntimeException e) {
            if (e instanceof EngineException) {
                throw e;
            }
            log.warn("container engine call failed: {}: {}", what, Errors.rootDescription(e));
            log.debug("container engine call failed", e);
            throw new EngineException("could not " + what + ": the container engine at " + engine.get() + " is unreachable ("
                    + Errors.rootDescription(e) + "). Check that it runs and that DOCKER_HOST points at it.");
        }
    }

    /** The engine's own {@code message} from the JSON error body (podman's contain escaped quotes), else the text. */
    static String engineMessage(DockerException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int brace = m.indexOf("{\"");
        if (brace >= 0) {
            try {
                JsonNode body = ERROR_JSON.readTree(m.substring(brace, m.lastIndexOf('}') + 1));
                if (body.hasNonNull("message")) {
                    return body.get("message").asText();
                }
            } catch (JsonProcessingException | RuntimeException notJson) {
                log.debug("engine error is not JSON: {}", m);
            }
        }
        return m.replace('\n', ' ').strip() + " (HTTP " + e.getHttpStatus() + ")";
    }
}
