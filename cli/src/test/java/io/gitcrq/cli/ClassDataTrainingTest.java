package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The class-data archive's training run goes through the commands it names, not their error paths. */
class ClassDataTrainingTest {

    @Test
    void everyTrainingCommandRunsToItsEnd() throws Exception {
        assertThat(ClassDataTraining.run()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 2, 0);
    }
}
