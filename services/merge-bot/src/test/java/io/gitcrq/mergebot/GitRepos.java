package io.gitcrq.mergebot;

import io.gitcrq.testsupport.git.TestGit;
import io.gitcrq.testsupport.git.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real repositories made with the {@code git} CLI, as a server and a developer would have them: a bare
 * repository with {@code main} (what merge-bot merges into) and a clone that pushes branches to it
 * (test-support's TestRepository, committing as Alice).
 */
final class GitRepos {

    final Path bare;
    final Path clone;
    private final TestRepository repository;

    private GitRepos(TestRepository repository) {
        this.repository = repository;
        this.bare = repository.bare();
        this.clone = repository.work();
    }

    static GitRepos create() throws IOException {
        Path dir = Files.createTempDirectory("merge-bot-test-");
        return new GitRepos(TestRepository.create(TestGit.as("Alice", "alice@example.com"), dir, "origin"));
    }

    /** Writes a file in the clone and commits it on the current branch; returns the commit id. */
    String commit(String file, String content, String message) throws IOException {
        return repository.commitFile(file, content, message);
    }

    /** Starts a branch from main (the clone's view of it) and checks it out. */
    void branchFromMain(String branch) {
        git("checkout", "--quiet", "main");
        git("checkout", "--quiet", "-b", branch);
    }

    /** Commits on main in the clone and pushes main: the target moves on. */
    String commitOnMain(String file, String content, String message) throws IOException {
        git("checkout", "--quiet", "main");
        String id = commit(file, content, message);
        repository.push("main");
        return id;
    }

    String git(String... args) {
        return repository.git(args);
    }

    /** Runs git in the bare repository (the one merge-bot works on). */
    String inBare(String... args) {
        return repository.inBare(args);
    }
}
