package io.gitcrq.gitwatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A repository made with the real {@code git} CLI: a bare repository with a {@code main} branch holding one
 * commit, and a clone of it that commits and pushes as a developer would.
 */
final class TestRepo {

    final Path bare;
    final Path work;

    private TestRepo(Path bare, Path work) {
        this.bare = bare;
        this.work = work;
    }

    static TestRepo create(Path root, String name) {
        Path bare = root.resolve(name + ".git");
        Path work = root.resolve(name + "-work");
        git(root, "init", "--bare", "--initial-branch=main", bare.toString());
        git(root, "clone", bare.toString(), work.toString());
        TestRepo repo = new TestRepo(bare, work);
        repo.git("checkout", "-b", "main");
        repo.commit("initial commit");
        repo.push("main");
        return repo;
    }

    /** Commits (an empty change is enough for git-watcher) and returns the commit id. */
    String commit(String message) {
        git("commit", "--allow-empty", "-m", message);
        return git("rev-parse", "HEAD");
    }

    void push(String branch) {
        git("push", "origin", branch);
    }

    /** Where a branch of the bare repository points. */
    String headInBare(String branch) {
        return git(bare, "rev-parse", "refs/heads/" + branch);
    }

    String git(String... args) {
        return git(work, args);
    }

    static String git(Path dir, String... args) {
        return gitWithInput(dir, null, args);
    }

    /** Runs git with {@code input} on its standard input (e.g. a {@code git fast-import} stream). */
    static String gitWithInput(Path dir, String input, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_AUTHOR_NAME", "Dev Eloper");
        builder.environment().put("GIT_AUTHOR_EMAIL", "dev@example.test");
        builder.environment().put("GIT_COMMITTER_NAME", "Dev Eloper");
        builder.environment().put("GIT_COMMITTER_EMAIL", "dev@example.test");
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
