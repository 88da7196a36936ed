package io.gitcrq.testsupport.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} CLI as a developer runs it, for tests that set up or look at repositories. Commits carry a
 * fixed author and committer (given as environment variables, so no user or global git config is needed).
 */
public final class TestGit {

    private static final long TIMEOUT_SECONDS = 60;

    private final String name;
    private final String email;

    private final Map<String, String> environment;

    private TestGit(String name, String email, Map<String, String> environment) {
        this.name = name;
        this.email = email;
        this.environment = Map.copyOf(environment);
    }

    /** git committing as {@code name <email>}. */
    public static TestGit as(String name, String email) {
        return new TestGit(name, email, Map.of());
    }

    /** This git with {@code environment} added to what it runs with (e.g. the hooks' {@code XDG_RUNTIME_DIR}). */
    public TestGit with(Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(this.environment);
        all.putAll(environment);
        return new TestGit(name, email, all);
    }

    /** git committing as {@code Dev Eloper <dev@example.test>}. */
    public static TestGit developer() {
        return as("Dev Eloper", "dev@example.test");
    }

    /** {@code git -C dir args…} as {@link #developer()}: see {@link #run(Path, String...)}. */
    public static String git(Path dir, String... args) {
        return developer().run(dir, args);
    }

    /** {@code git -C dir args…}: its output (stdout and stderr), trimmed; a non-zero exit fails with that output. */
    public String run(Path dir, String... args) {
        return runWithInput(dir, null, args);
    }

    /** Like {@link #run(Path, String...)} with {@code input} on standard input (e.g. a fast-import stream). */
    public String runWithInput(Path dir, String input, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_AUTHOR_NAME", name);
        builder.environment().put("GIT_AUTHOR_EMAIL", email);
        builder.environment().put("GIT_COMMITTER_NAME", name);
        builder.environment().put("GIT_COMMITTER_EMAIL", email);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
