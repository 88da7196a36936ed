package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Processes (git, hooks, the CLI) run in a test's temp directory as if on a machine of their own: {@code HOME} there,
 * no system git config, none of the test JVM's {@code GIT_*} or {@code GITCRQ_*} variables, and no repository found
 * above the temp directory, so the machine's own git settings (identity, {@code core.hooksPath}, ...) cannot interfere.
 */
public final class IsolatedGit {

    /** What one process printed and how it ended. */
    public record Run(int exitCode, String out, String err) {
        public String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path tmp;
    private final Path home;

    public IsolatedGit(Path tmp) throws IOException {
        this.tmp = tmp;
        this.home = Files.createDirectories(tmp.resolve("home"));
    }

    public Path home() {
        return home;
    }

    /** A new repository {@code name} in the temp directory, on {@code main}. */
    public Path repository(String name) {
        Path directory = tmp.resolve(name);
        gitOk(tmp, "init", "-q", "-b", "main", directory.toString());
        return directory;
    }

    /** Commits nothing new but a message (hooks run); returns the new HEAD. */
    public String commit(Path repository, String message) {
        gitOk(repository, "commit", "-q", "--allow-empty", "-m", message);
        return gitOk(repository, "rev-parse", "HEAD").strip();
    }

    /** HEAD's message as stored, its trailing blank lines but one dropped. */
    public String message(Path repository) {
        return gitOk(repository, "log", "-1", "--format=%B").replaceAll("\n+$", "\n");
    }

    public String gitOk(Path directory, String... args) {
        Run result = git(directory, args);
        assertThat(result.exitCode())
                .as("git " + String.join(" ", args) + "\n" + result.describe())
                .isZero();
        return result.out();
    }

    public Run git(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(directory, command);
    }

    public Run run(Path directory, List<String> command) {
        return run(directory, command, Map.of());
    }

    /** Runs {@code command} with the isolated environment and {@code extraEnv} over it; at most two minutes. */
    public Run run(Path directory, List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("GIT_") || key.startsWith("GITCRQ_"));
        env.putAll(isolatedGitEnvironment());
        env.putAll(extraEnv);
        try {
            Process process = builder.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Run(process.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    private Map<String, String> isolatedGitEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CEILING_DIRECTORIES", tmp.toString()); // never find a repository around the temp dir
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "Hook Tester");
        env.put("GIT_AUTHOR_EMAIL", "hooks@example.test");
        env.put("GIT_COMMITTER_NAME", "Hook Tester");
        env.put("GIT_COMMITTER_EMAIL", "hooks@example.test");
        env.put("LC_ALL", "C");
        return env;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A word for sh: single-quoted, embedded quotes escaped. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
