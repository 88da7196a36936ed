package io.gitcrq.testsupport.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TempTreesTest {

    @Test
    void aTreeIsRemovedWithWhatItHolds() throws Exception {
        Path tree = TempTrees.create("temp-trees-test-");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/file"), "x");

        TempTrees.deleteQuietly(tree);

        assertThat(tree).doesNotExist();
        TempTrees.deleteQuietly(tree); // already gone: nothing to say
    }
}
