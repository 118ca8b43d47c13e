package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

class EngineMessageTest {

    @Test
    void podmansMessageIsGivenWholeEvenWithQuotesInIt() {
        var e = new InternalServerErrorException("{\"cause\":\"invalid ulimit type: RLIMIT_NOFILE\",\"message\":"
                + "\"fill out specgen: ulimit option \\\"RLIMIT_NOFILE=1024:2048\\\" requires name=SOFT:HARD, failed to be"
                + " parsed: invalid ulimit type: RLIMIT_NOFILE\",\"response\":500}\n");

        assertThat(DockerJavaEngine.engineMessage(e)).isEqualTo("fill out specgen: ulimit option \"RLIMIT_NOFILE=1024:2048\""
                + " requires name=SOFT:HARD, failed to be parsed: invalid ulimit type: RLIMIT_NOFILE");
    }

    @Test
    void aMessageThatIsNotJsonIsGivenAsItIsWithTheStatus() {
        assertThat(DockerJavaEngine.engineMessage(new NotFoundException("page not found\n")))
                .isEqualTo("Status 404: page not found (HTTP 404)");
    }
}
