package dev.rollbackbot.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointTest {
    @Test
    void aMissingKeyKeepsTheReadersValueAndAnEmptyOneMeansNotKnownYet() {
        Checkpoint c = Checkpoint.parse("old=;new=abc;touched=true;odd;stopped=a,b");

        assertThat(c.flag("touched", false)).isTrue();
        assertThat(c.flag("committed", true)).as("not in the checkpoint: unchanged").isTrue();
        assertThat(c.has("old")).isTrue();
        assertThat(c.text("old")).isEmpty();
        assertThat(c.text("new")).contains("abc");
        assertThat(c.text("stopped")).contains("a,b");
        assertThat(c.all()).containsOnlyKeys("old", "new", "touched", "stopped");
        assertThat(Checkpoint.parse("").all()).isEmpty();
    }
}
