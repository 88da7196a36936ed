package io.gitcrq.gitwatcher;

import io.gitcrq.testsupport.git.TestGit;
import io.gitcrq.testsupport.git.TestRepository;
import java.nio.file.Path;

/**
 * A repository made with the real {@code git} CLI: a bare repository with a {@code main} branch holding one
 * commit, and a clone of it that commits and pushes as a developer would (test-support's TestRepository).
 */
final class TestRepo {

    final Path bare;
    final Path work;
    private final TestRepository repository;

    private TestRepo(TestRepository repository) {
        this.repository = repository;
        this.bare = repository.bare();
        this.work = repository.work();
    }

    static TestRepo create(Path root, String name) {
        return new TestRepo(TestRepository.create(root, name));
    }

    /** Commits (an empty change is enough for git-watcher) and returns the commit id. */
    String commit(String message) {
        return repository.commit(message);
    }

    void push(String branch) {
        repository.push(branch);
    }

    /** Where a branch of the bare repository points. */
    String headInBare(String branch) {
        return repository.refInBare("refs/heads/" + branch);
    }

    String git(String... args) {
        return repository.git(args);
    }

    static String git(Path dir, String... args) {
        return TestGit.git(dir, args);
    }

    /** Runs git with {@code input} on its standard input (e.g. a {@code git fast-import} stream). */
    static String gitWithInput(Path dir, String input, String... args) {
        return TestGit.developer().runWithInput(dir, input, args);
    }
}
