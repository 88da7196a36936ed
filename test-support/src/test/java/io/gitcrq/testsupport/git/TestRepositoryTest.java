package io.gitcrq.testsupport.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRepositoryTest {

    @TempDir
    Path root;

    @Test
    void startsWithOneCommitOnMainPushedToTheBareRepository() {
        TestRepository repository = TestRepository.create(root, "demo");

        assertThat(repository.bare()).isEqualTo(root.resolve("demo.git"));
        assertThat(repository.inBare("rev-parse", "--is-bare-repository")).isEqualTo("true");
        assertThat(repository.git("rev-list", "--count", "HEAD")).isEqualTo("1");
        assertThat(repository.refInBare("refs/heads/main")).isEqualTo(repository.git("rev-parse", "HEAD"));
    }

    @Test
    void aCommittedFileReachesTheBareRepositoryOnlyWhenPushed() {
        TestRepository repository = TestRepository.create(root, "demo");
        String before = repository.refInBare("refs/heads/main");

        String id = repository.commitFile("docs/readme.md", "hello\n", "add readme");

        assertThat(repository.refInBare("refs/heads/main")).isEqualTo(before);
        repository.push("main");
        assertThat(repository.refInBare("refs/heads/main")).isEqualTo(id);
        assertThat(repository.inBare("show", id + ":docs/readme.md")).isEqualTo("hello");
    }

    @Test
    void commitsCarryTheGivenIdentity() {
        TestRepository repository = TestRepository.create(TestGit.as("Alice", "alice@example.com"), root, "demo");

        repository.commit("as alice");

        assertThat(repository.git("log", "-1", "--format=%an <%ae> / %cn <%ce>"))
                .isEqualTo("Alice <alice@example.com> / Alice <alice@example.com>");
    }

    @Test
    void aFailingGitCommandFailsWithItsOutput() {
        assertThatThrownBy(() -> TestGit.git(root, "rev-parse", "--verify", "refs/heads/nothing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rev-parse")
                .hasMessageContaining("fatal");
    }

    @Test
    void inputGoesToStandardInput() {
        String blob = TestGit.developer().runWithInput(root, "some text\n", "hash-object", "--stdin");

        // git's id of the blob "some text\n": the input arrived whole.
        assertThat(blob).isEqualTo("7b57bd29ea8afbdeb9bac64cf7074f4b531492a8");
    }
}
