package io.gitcrq.mergebot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real repositories made with the {@code git} CLI, as a server and a developer would have them: a bare
 * repository with {@code main} (what merge-bot merges into) and a clone that pushes branches to it.
 */
final class GitRepos {

    final Path bare;
    final Path clone;

    private GitRepos(Path bare, Path clone) {
        this.bare = bare;
        this.clone = clone;
    }

    static GitRepos create() throws IOException {
        Path dir = Files.createTempDirectory("merge-bot-test-");
        Path bare = dir.resolve("origin.git");
        Path clone = dir.resolve("work");
        run(dir, "git", "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        run(dir, "git", "clone", "--quiet", bare.toString(), clone.toString());
        GitRepos repos = new GitRepos(bare, clone);
        repos.git("config", "user.name", "Alice");
        repos.git("config", "user.email", "alice@example.com");
        repos.git("symbolic-ref", "HEAD", "refs/heads/main");
        repos.commit("README.md", "hello\n", "initial commit");
        repos.git("push", "--quiet", "origin", "main");
        return repos;
    }

    /** Writes a file in the clone and commits it on the current branch; returns the commit id. */
    String commit(String file, String content, String message) throws IOException {
        Files.writeString(clone.resolve(file), content);
        git("add", file);
        git("commit", "--quiet", "-m", message);
        return git("rev-parse", "HEAD");
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
        git("push", "--quiet", "origin", "main");
        return id;
    }

    String git(String... args) {
        return run(clone, prepend("git", args));
    }

    /** Runs git in the bare repository (the one merge-bot works on). */
    String inBare(String... args) {
        return run(bare, prepend("git", args));
    }

    private static String[] prepend(String first, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ": " + out);
            }
            return out.trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
