package io.gitcrq.cli.git;

import io.gitcrq.cli.process.CliFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code git} command run in one directory. The process inherits our environment, so inside a hook git
 * sees what git set for it ({@code GIT_DIR}, the quarantine object directory of a push being received); or, for a
 * hook run on behalf of another process (the resident hook runner), that caller's git environment.
 */
public final class Git {

    /** What one git run printed and how it ended. */
    public record Output(int exitCode, String out, String err) {}

    private final Path directory;
    /** The caller's git environment where it is not this process's own; null to inherit ours. */
    private final Map<String, String> callerEnvironment;

    public Git(Path directory) {
        this.directory = directory;
        this.callerEnvironment = null;
    }

    private Git(Path directory, Map<String, String> callerEnvironment) {
        this.directory = directory;
        this.callerEnvironment = Map.copyOf(callerEnvironment);
    }

    /**
     * git run as the process of {@code env} would run it: its {@code GIT_*} variables (and none of ours), and its
     * {@code HOME} and {@code XDG_CONFIG_HOME} where it has them, which decide the config git reads.
     */
    public static Git forCaller(Path directory, Map<String, String> env) {
        Map<String, String> caller = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (isCallerVariable(name)) {
                caller.put(name, value);
            }
        });
        return new Git(directory, caller);
    }

    /** Whether git's behaviour depends on the variable {@code name}: {@code GIT_*}, {@code HOME}, {@code XDG_CONFIG_HOME}. */
    public static boolean isCallerVariable(String name) {
        return name.startsWith("GIT_") || name.equals("HOME") || name.equals("XDG_CONFIG_HOME");
    }

    public Path directory() {
        return directory;
    }

    public Output run(String... args) {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add("git");
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            if (callerEnvironment != null) {
                builder.environment().keySet().removeIf(name -> name.startsWith("GIT_"));
                builder.environment().putAll(callerEnvironment);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            String out = read(process.getInputStream());
            String err = read(process.getErrorStream()); // small: read after stdout without risk of a stall
            return new Output(process.waitFor(), out, err);
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.FAILED, "cannot run git (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.FAILED, "interrupted while running git", e);
        }
    }

    /** Stdout of a git run that must succeed; its stderr becomes the failure message otherwise. */
    public String output(String... args) {
        Output result = run(args);
        if (result.exitCode() != 0) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    "git " + String.join(" ", args) + " failed in " + directory + ": "
                            + result.err().strip());
        }
        return result.out();
    }

    /**
     * Config entries whose key matches {@code keyRegex}, keys lower case as git prints them. A key set several
     * times (multi-valued, or in several config files) keeps its values joined by commas, which is how list
     * settings are read anyway.
     */
    public Map<String, String> config(String keyRegex) {
        Output result = run("config", "-z", "--get-regexp", keyRegex);
        Map<String, String> entries = new LinkedHashMap<>();
        if (result.exitCode() == 1) { // no such key: not an error
            return entries;
        }
        if (result.exitCode() != 0) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    "cannot read git config in " + directory + ": "
                            + result.err().strip());
        }
        for (String entry : result.out().split("\0")) {
            if (entry.isEmpty()) {
                continue;
            }
            int newline = entry.indexOf('\n');
            String key = newline < 0 ? entry : entry.substring(0, newline);
            String value = newline < 0 ? "" : entry.substring(newline + 1);
            entries.merge(key, value, (a, b) -> a + "," + b);
        }
        return entries;
    }

    /** The branch HEAD is on ({@code feature/CRQ-1-x}), empty when HEAD is detached. */
    public Optional<String> currentBranch() {
        Optional<String> head = headFile();
        if (head.isPresent()) {
            String ref = head.get();
            if (ref.startsWith("ref: refs/heads/") && !ref.equals("ref: refs/heads/.invalid")) {
                return Optional.of(ref.substring("ref: refs/heads/".length()));
            }
            if (ref.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
                return Optional.empty(); // detached
            }
        }
        Output result = run("symbolic-ref", "--short", "-q", "HEAD");
        return result.exitCode() == 0 ? Optional.of(result.out().strip()) : Optional.empty();
    }

    /**
     * HEAD as its file says it, read without running git, when this directory is the top of a work tree: git runs a
     * commit-msg hook there, and a git run per call was a good part of the hook's time (bench P4). {@code .git} is the
     * repository, or a file naming it (a linked work tree, a submodule); {@code GIT_DIR} wins, as it does for git.
     * Empty when there is no such file (git is asked then); a reftable repository's HEAD names
     * {@code refs/heads/.invalid}, which the caller leaves to git too.
     */
    private Optional<String> headFile() {
        try {
            String gitDirVariable =
                    callerEnvironment == null ? System.getenv("GIT_DIR") : callerEnvironment.get("GIT_DIR");
            Path gitDir;
            if (gitDirVariable != null && !gitDirVariable.isEmpty()) {
                gitDir = directory.resolve(gitDirVariable);
            } else {
                Path dotGit = directory.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    gitDir = dotGit;
                } else if (Files.isRegularFile(dotGit)) {
                    String link =
                            Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                    if (!link.startsWith("gitdir: ")) {
                        return Optional.empty();
                    }
                    gitDir = directory.resolve(link.substring("gitdir: ".length()));
                } else {
                    return Optional.empty();
                }
            }
            Path head = gitDir.resolve("HEAD");
            return Files.isRegularFile(head) && !Files.isSymbolicLink(head)
                    ? Optional.of(Files.readString(head, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // git is asked instead
        }
    }

    /**
     * The branch a rebase in progress is rewriting, empty when no rebase is: HEAD is detached while git
     * rebases, but the commits it makes (a reword, a squash, an amend at an edit stop) go onto that branch.
     */
    public Optional<String> rebasedBranch() {
        Output paths = run("rev-parse", "--git-path", "rebase-merge/head-name", "--git-path", "rebase-apply/head-name");
        if (paths.exitCode() != 0) {
            return Optional.empty();
        }
        for (String path : paths.out().split("\n")) {
            if (path.isBlank()) {
                continue;
            }
            Path headName = directory.resolve(path.strip());
            try {
                String ref = Files.isRegularFile(headName)
                        ? Files.readString(headName, StandardCharsets.UTF_8).strip()
                        : "";
                if (ref.startsWith("refs/heads/")) {
                    return Optional.of(ref.substring("refs/heads/".length()));
                }
            } catch (IOException e) {
                // unreadable: as if no rebase were in progress
            }
        }
        return Optional.empty();
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
