package dev.rollbackbot.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Ulimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UlimitsTest {

    @ParameterizedTest(name = "{0} is sent as {1}")
    @CsvSource({
        "RLIMIT_NOFILE, nofile",
        "RLIMIT_NPROC, nproc",
        "RLIMIT_AS, as",
        "RLIMIT_CORE, core",
        "RLIMIT_CPU, cpu",
        "RLIMIT_DATA, data",
        "RLIMIT_FSIZE, fsize",
        "RLIMIT_LOCKS, locks",
        "RLIMIT_MEMLOCK, memlock",
        "RLIMIT_MSGQUEUE, msgqueue",
        "RLIMIT_NICE, nice",
        "RLIMIT_RSS, rss",
        "RLIMIT_RTPRIO, rtprio",
        "RLIMIT_RTTIME, rttime",
        "RLIMIT_SIGPENDING, sigpending",
        "RLIMIT_STACK, stack",
        "rlimit_nofile, nofile",
    })
    void podmansKernelNamesBecomeTheNamesACreateRequestTakes(String reported, String sent) {
        assertThat(Ulimits.dockerName(reported)).contains(sent);
    }

    @ParameterizedTest(name = "{0} stays {0}")
    @ValueSource(strings = {"nofile", "nproc", "memlock", "core", "stack", "rtprio"})
    void dockersOwnNamesAreKeptAsTheyAre(String name) {
        assertThat(Ulimits.dockerName(name)).contains(name);
    }

    @ParameterizedTest(name = "\"{0}\" is no limit name")
    @ValueSource(strings = {"RLIMIT_", "RLIMIT_BOGUS", "files", "", "NOFILE_RLIMIT"})
    void aNameNoEngineTakesGivesNothing(String name) {
        assertThat(Ulimits.dockerName(name)).isEmpty();
    }

    @Test
    void softAndHardValuesAreKeptWithMinusOneForUnlimited() {
        Ulimits.Translated t = Ulimits.translate(new Ulimit[] {
            new Ulimit("RLIMIT_NOFILE", 1024L, 2048L),
            new Ulimit("RLIMIT_MEMLOCK", -1L, -1L),
            new Ulimit("RLIMIT_STACK", 8_388_608L, -1L),
            new Ulimit("nproc", 500L, 600L),
        });

        assertThat(t.ulimits()).containsExactly(
                new Ulimit("nofile", 1024L, 2048L),
                new Ulimit("memlock", -1L, -1L),
                new Ulimit("stack", 8_388_608L, -1L),
                new Ulimit("nproc", 500L, 600L));
        assertThat(t.uncopied()).isEmpty();
    }

    @Test
    void aLimitWithAnUnknownNameIsNotSentButNamedWithItsValuesAndWhy() {
        Ulimits.Translated t = Ulimits.translate(new Ulimit[] {
            new Ulimit("RLIMIT_NOFILE", 1024L, 2048L),
            new Ulimit("RLIMIT_WHATEVER", 5L, -1L),
        });

        assertThat(t.ulimits()).containsExactly(new Ulimit("nofile", 1024L, 2048L));
        assertThat(t.uncopied()).containsExactly("ulimit RLIMIT_WHATEVER=5:unlimited: not a limit name the engine takes in"
                + " a create request, so it cannot be given again");
    }

    @Test
    void noLimitsGiveNothingToSendAndNothingToReport() {
        assertThat(Ulimits.translate(null).ulimits()).isEmpty();
        assertThat(Ulimits.translate(new Ulimit[0]).uncopied()).isEmpty();
    }
}
