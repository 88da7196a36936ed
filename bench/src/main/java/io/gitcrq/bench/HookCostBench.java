package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.deleteTree;
import static io.gitcrq.bench.BenchGit.git;
import static io.gitcrq.bench.BenchGit.identify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * P4 hook cost: wall time per call of gitcrq's {@code commit-msg} hook exactly as {@code gitcrq hooks install}
 * writes it (a bash script that has the resident hook runner run the hook, which its first call starts; and, as a
 * column beside it, the same script with {@code GITCRQ_HOOK_DAEMON=0}: the CLI jar under a JVM with fast-start options
 * and an AppCDS archive per call) against a plain shell hook doing the equivalent check (a message naming no CRQ gets its branch's CRQ as a {@code CRQ:} trailer,
 * through {@code git interpret-trailers}). Each hook is called directly on a message file in a real clone on
 * {@code feature/CRQ-12-x}, for a message naming no CRQ (the hook adds the trailer) and one that names one
 * (nothing to do); then real {@code git commit}s are timed with each hook and with none.
 *
 * <pre>java -cp … io.gitcrq.bench.HookCostBench CLI_JAR WORK_DIR
 *   (env GITCRQ_BENCH_HOOK_CALLS, default 30; GITCRQ_BENCH_COMMIT_ROUNDS, default 5)</pre>
 */
public final class HookCostBench {

    static final String BRANCH = "feature/CRQ-12-x";
    static final String CRQ = "CRQ-12";
    /** The aim the issue sets: gitcrq's commit-msg at most twice the shell hook's time per call. */
    static final double AIM_RATIO = 2.0;

    private static final String MARKER = ".gitcrq-bench-p4";

    /** The shell hook: the same rule as gitcrq's commit-msg with grep, sed and git interpret-trailers. */
    static final String SHELL_HOOK = """
            #!/bin/sh
            # Plain shell commit-msg hook, the reference for bench P4: a message naming no CRQ gets its branch's
            # CRQ as a 'CRQ:' trailer; with no CRQ to add, the commit is refused. Comment lines do not count.
            grep -v '^#' "$1" | grep -qiE '(^|[^A-Za-z0-9_])CRQ-[1-9][0-9]{0,17}([^0-9A-Za-z_]|$)' && exit 0
            branch=$(git symbolic-ref --short -q HEAD)
            crq=$(printf '%s\\n' "$branch" | sed -nE 's#^[a-z]+/(CRQ-[1-9][0-9]*)-[a-z0-9-]+$#\\1#p')
            if [ -z "$crq" ]; then
                echo "commit refused: its message names no CRQ and branch '$branch' names none" >&2
                exit 1
            fi
            git interpret-trailers --in-place --trailer "CRQ: $crq" "$1"
            echo "linked to $crq (trailer 'CRQ: $crq' added)" >&2
            """;

    /** A message file as git hands it to commit-msg after the editor: comments (naming the branch) included. */
    static final String UNLINKED = """
            Tune session cache sizes

            The cache was too small for the number of sessions a busy host keeps,
            so entries were evicted before their timeout.

            # Please enter the commit message for your changes. Lines starting
            # with '#' will be ignored, and an empty message aborts the commit.
            #
            # On branch feature/CRQ-12-x
            # Changes to be committed:
            #	modified:   cache.txt
            #
            """;

    static final String LINKED = "CRQ-12: " + UNLINKED;

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path work;
    /** The hooks' XDG_RUNTIME_DIR: the runner the benchmark's calls start lives there, and nobody else's. */
    private final Path runtime;

    private final Map<String, String> hookEnv;
    private final Map<String, String> jvmHookEnv;
    /** Calls of gitcrq's hook made in its default way since the runner answers: the runner must have run them all. */
    private int runnerCalls;

    private HookCostBench(Path work) {
        this.work = work;
        this.runtime = work.resolve("run");
        this.hookEnv = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        this.jvmHookEnv = Map.of("XDG_RUNTIME_DIR", runtime.toString(), "GITCRQ_HOOK_DAEMON", "0");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: HookCostBench CLI_JAR WORK_DIR   (WORK_DIR is emptied first)");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: mvn -pl cli -am install -DskipTests");
        }
        new HookCostBench(Path.of(args[1]).toAbsolutePath())
                .run(
                        jar,
                        Stats.intSetting("GITCRQ_BENCH_HOOK_CALLS", 30),
                        Stats.intSetting("GITCRQ_BENCH_COMMIT_ROUNDS", 5));
    }

    private void run(Path jar, int calls, int commitRounds) throws Exception {
        Path marker = work.resolve(MARKER);
        try (Stream<Path> entries = Files.exists(work) ? Files.list(work) : Stream.empty()) {
            if (entries.findAny().isPresent() && !Files.exists(marker)) {
                throw new IllegalArgumentException(work + " is not empty and was not made by this benchmark");
            }
        }
        deleteTree(work);
        Files.createDirectories(work);
        Files.writeString(marker, "made by io.gitcrq.bench.HookCostBench; emptied on every run\n");
        Files.createDirectory(
                runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path seed = work.resolve("seed");
        git(work, "init", "-q", "-b", "main", seed.toString());
        identify(seed);
        Files.writeString(seed.resolve("cache.txt"), "size=100\n");
        git(seed, "add", "cache.txt");
        git(seed, "commit", "-q", "--no-verify", "-m", "Initial import");

        Map<String, Path> clones = new LinkedHashMap<>();
        for (String name : List.of("gitcrq", "shell", "none")) {
            Path clone = work.resolve("clone-" + name);
            git(work, "clone", "-q", seed.toString(), clone.toString());
            identify(clone);
            git(clone, "checkout", "-q", "-b", BRANCH);
            clones.put(name, clone);
        }

        // gitcrq's hooks, installed the way a user installs them.
        long installStart = System.nanoTime();
        String installed = BenchGit.run(
                clones.get("gitcrq"), List.of(java.toString(), "-jar", jar.toString(), "hooks", "install"));
        double installMs = (System.nanoTime() - installStart) / 1e6;
        Path gitcrqHook = hook(clones.get("gitcrq"));
        Path shellHook = hook(clones.get("shell"));
        Files.createDirectories(shellHook.getParent());
        Files.writeString(shellHook, SHELL_HOOK, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(shellHook, PosixFilePermissions.fromString("rwxr-xr-x"));

        System.out.printf(Locale.ROOT, "P4 hook cost: commit-msg in clones on %s under %s%n", BRANCH, work);
        System.out.printf(Locale.ROOT, "  gitcrq hooks install (%.0f ms):%n", installMs);
        installed.lines().forEach(line -> System.out.println("    " + line));
        System.out.println("  gitcrq's hook script:");
        Files.readString(gitcrqHook).lines().forEach(line -> System.out.println("    " + line));
        System.out.printf(
                Locale.ROOT,
                "  %d CPUs; %d direct calls per hook and message after 3 untimed ones, "
                        + "gitcrq and shell calls interleaved%n",
                Runtime.getRuntime().availableProcessors(),
                calls);

        // Same outcome first: the hooks turn the unlinked message into the same file. gitcrq's first call runs in a
        // JVM and starts the runner; its next one goes through the runner.
        String byJvm = callOnce(clones.get("gitcrq"), gitcrqHook, UNLINKED, hookEnv);
        long runnerWait = System.nanoTime();
        Path runner = awaitRunner();
        System.out.printf(
                Locale.ROOT,
                "  the first call started the resident hook runner in %s (it answered %.1f s after that call)%n",
                runner,
                (System.nanoTime() - runnerWait) / 1e9);
        String byGitcrq = callOnce(clones.get("gitcrq"), gitcrqHook, UNLINKED, hookEnv);
        runnerCalls++;
        String byShell = callOnce(clones.get("shell"), shellHook, UNLINKED, Map.of());
        for (String file : List.of(byJvm, byGitcrq, byShell)) {
            if (!file.contains("\nCRQ: " + CRQ + "\n")) {
                throw new IllegalStateException("a hook did not add the trailer:\n--- gitcrq (JVM)\n" + byJvm
                        + "--- gitcrq (runner)\n" + byGitcrq + "--- shell\n" + byShell);
            }
        }
        System.out.println("  the hooks add 'CRQ: " + CRQ + "' to the unlinked message"
                + (byGitcrq.equals(byShell) && byJvm.equals(byGitcrq)
                        ? " (identical files)"
                        : " (files differ in layout)"));

        double spawn = Stats.spawnCostMs();
        String loadBefore = Stats.loadAverage();
        Map<String, double[]> direct = new LinkedHashMap<>();
        for (String message : List.of("unlinked", "linked")) {
            String text = message.equals("unlinked") ? UNLINKED : LINKED;
            Path gitcrqClone = clones.get("gitcrq");
            Path shellClone = clones.get("shell");
            for (int i = 0; i < 3; i++) {
                callOnce(gitcrqClone, gitcrqHook, text, hookEnv);
                runnerCalls++;
                callOnce(gitcrqClone, gitcrqHook, text, jvmHookEnv);
                callOnce(shellClone, shellHook, text, Map.of());
            }
            double[] gitcrqMs = new double[calls];
            double[] jvmMs = new double[calls];
            double[] shellMs = new double[calls];
            for (int i = 0; i < calls; i++) {
                // Rotating order, so that no hook always runs right after another.
                for (int k = 0; k < 3; k++) {
                    switch ((i + k) % 3) {
                        case 0 -> {
                            gitcrqMs[i] = timedCall(gitcrqClone, gitcrqHook, text, hookEnv);
                            runnerCalls++;
                        }
                        case 1 -> jvmMs[i] = timedCall(gitcrqClone, gitcrqHook, text, jvmHookEnv);
                        default -> shellMs[i] = timedCall(shellClone, shellHook, text, Map.of());
                    }
                }
            }
            direct.put("gitcrq/" + message, gitcrqMs);
            direct.put("gitcrq JVM per call/" + message, jvmMs);
            direct.put("shell/" + message, shellMs);
        }

        // Real commits: the hook as git runs it, against a commit with no hook at all.
        Map<String, double[]> commits = new LinkedHashMap<>();
        clones.forEach((name, clone) -> commits.put(name, new double[commitRounds]));
        for (int round = -1; round < commitRounds; round++) { // round -1: untimed warm-up
            for (Map.Entry<String, Path> clone : clones.entrySet()) {
                double ms = timedCommit(clone.getValue(), round);
                if (clone.getKey().equals("gitcrq")) {
                    runnerCalls++;
                }
                if (round >= 0) {
                    commits.get(clone.getKey())[round] = ms;
                }
            }
        }
        for (String name : List.of("gitcrq", "shell")) {
            String trailer = git(clones.get(name), "log", "-1", "--format=%(trailers:key=CRQ,valueonly)")
                    .strip();
            if (!trailer.equals(CRQ)) {
                throw new IllegalStateException("the " + name + " hook left no 'CRQ: " + CRQ + "' trailer: " + trailer);
            }
        }

        System.out.printf(
                Locale.ROOT, "  %-52s %9s %9s %9s %9s %9s%n", "ms per call", "median", "mean", "min", "p90", "max");
        direct.forEach((name, ms) -> Stats.timingRow(
                "commit-msg " + name.replace("/", ", message ") + (name.endsWith("/unlinked") ? " (adds trailer)" : ""),
                ms));
        commits.forEach(
                (name, ms) -> Stats.timingRow("git commit, " + (name.equals("none") ? "no hook" : name + " hook"), ms));

        int ranByRunner = stopRunner(runner);
        System.out.printf(
                Locale.ROOT,
                "  the runner ran %d hooks, the %d calls made since it answered%n",
                ranByRunner,
                runnerCalls);
        if (ranByRunner != runnerCalls) {
            throw new IllegalStateException("the runner ran " + ranByRunner + " hooks, not the " + runnerCalls
                    + " calls made since it answered: some were run by a JVM, so the figures above mix both");
        }

        double gitcrq = Stats.median(direct.get("gitcrq/unlinked"));
        double jvm = Stats.median(direct.get("gitcrq JVM per call/unlinked"));
        double shell = Stats.median(direct.get("shell/unlinked"));
        double gitcrqLinked = Stats.median(direct.get("gitcrq/linked"));
        double shellLinked = Stats.median(direct.get("shell/linked"));
        double none = Stats.median(commits.get("none"));
        System.out.printf(
                Locale.ROOT,
                "  ratio gitcrq / shell, message naming no CRQ: %.1fx (%.1f ms vs %.1f ms)%n",
                gitcrq / shell,
                gitcrq,
                shell);
        System.out.printf(
                Locale.ROOT,
                "  ratio gitcrq with a JVM per call (GITCRQ_HOOK_DAEMON=0) / shell, message naming no CRQ: %.1fx "
                        + "(%.1f ms vs %.1f ms)%n",
                jvm / shell,
                jvm,
                shell);
        System.out.printf(
                Locale.ROOT,
                "  ratio gitcrq / shell, message naming CRQ-12: %.1fx (%.1f ms vs %.1f ms)%n",
                gitcrqLinked / shellLinked,
                gitcrqLinked,
                shellLinked);
        System.out.printf(
                Locale.ROOT,
                "  git commit: +%.1f ms with gitcrq's hook, +%.1f ms with the shell hook "
                        + "(medians over no hook, %.1f ms)%n",
                Stats.median(commits.get("gitcrq")) - none,
                Stats.median(commits.get("shell")) - none,
                none);
        System.out.printf(
                Locale.ROOT,
                "  spawn cost: /bin/true %.1f ms per call; load average %s before the calls, %s after%n",
                spawn,
                loadBefore,
                Stats.loadAverage());
        boolean met = gitcrq / shell <= AIM_RATIO;
        System.out.printf(
                Locale.ROOT,
                "  aim: gitcrq's commit-msg at most %.0fx the shell hook's time per call: %s (%.1fx)%n",
                AIM_RATIO,
                met ? "met" : "NOT met",
                gitcrq / shell);
        Stats.summaryRow(
                "P4 commit-msg hook (adds trailer)",
                String.format(Locale.ROOT, "%.1f ms/call (spawn %.1f ms)", gitcrq, spawn),
                String.format(Locale.ROOT, "%.1f ms/call (shell + git interpret-trailers)", shell),
                String.format(Locale.ROOT, "%.1fx the time", gitcrq / shell),
                String.format(Locale.ROOT, "<= %.0fx: %s", AIM_RATIO, met ? "met" : "NOT met"));
        Stats.summaryRow(
                "P4 the same, a JVM per call (GITCRQ_HOOK_DAEMON=0)",
                String.format(Locale.ROOT, "%.1f ms/call", jvm),
                String.format(Locale.ROOT, "%.1f ms/call", shell),
                String.format(Locale.ROOT, "%.1fx the time", jvm / shell),
                "");
    }

    /** Waits until the runner the first call started answers; its directory. */
    private Path awaitRunner() throws Exception {
        return await("the hook's first call started no runner in " + runtime, () -> {
            try (Stream<Path> runners = Files.list(runtime)) {
                return runners.filter(dir -> Files.exists(dir.resolve("address")))
                        .findFirst();
            }
        });
    }

    /** Stops the runner (its address file removed) and returns how many hooks it ran, from its log's last line. */
    private static int stopRunner(Path runner) throws Exception {
        Files.delete(runner.resolve("address"));
        Path log = runner.resolve("daemon.log");
        Pattern stopped = Pattern.compile("stops: .*; (\\d+) hooks run");
        return await("the runner in " + runner + " did not stop (see " + log + ")", () -> {
            Matcher line = stopped.matcher(Files.readString(log));
            return line.find() ? Optional.of(Integer.parseInt(line.group(1))) : Optional.empty();
        });
    }

    /** What {@code probe} finds, asked every 100 ms for at most 3 minutes; {@code failure} says why when it never does. */
    private static <T> T await(String failure, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            Optional<T> found = probe.call();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(100);
        }
    }

    /** Runs the hook on a fresh message file; returns the file as the hook left it. */
    private String callOnce(Path clone, Path hook, String text, Map<String, String> env) throws Exception {
        Path file = messageFile(clone, text);
        int exit = start(clone, hook, file, env).waitFor();
        if (exit != 0) {
            throw new IllegalStateException(hook + " exited with " + exit);
        }
        return Files.readString(file);
    }

    /** Milliseconds from starting the hook to its exit; the message file is written before the clock starts. */
    private double timedCall(Path clone, Path hook, String text, Map<String, String> env) throws Exception {
        Path file = messageFile(clone, text);
        long start = System.nanoTime();
        int exit = start(clone, hook, file, env).waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(hook + " exited with " + exit);
        }
        return ms;
    }

    private static Process start(Path clone, Path hook, Path file, Map<String, String> env) throws IOException {
        // git runs commit-msg at the top of the work tree with the message file's path (.git/COMMIT_EDITMSG).
        ProcessBuilder builder = new ProcessBuilder(
                        hook.toString(), clone.relativize(file).toString())
                .directory(clone.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close(); // commit-msg gets nothing on stdin
        return process;
    }

    private static Path messageFile(Path clone, String text) throws IOException {
        Path file = clone.resolve(".git").resolve("COMMIT_EDITMSG");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** One staged change committed with a message naming no CRQ; the time of {@code git commit} alone. */
    private double timedCommit(Path clone, int round) throws Exception {
        Files.writeString(clone.resolve("cache.txt"), "size=" + (200 + round) + "\n");
        git(clone, "add", "cache.txt");
        long start = System.nanoTime();
        BenchGit.run(
                clone,
                List.of(
                        "git",
                        "commit",
                        "-q",
                        "-m",
                        "Tune session cache sizes",
                        "-m",
                        "The cache was too small for the number of sessions a busy host keeps."),
                hookEnv);
        return (System.nanoTime() - start) / 1e6;
    }

    private static Path hook(Path clone) {
        return clone.resolve(".git").resolve("hooks").resolve("commit-msg");
    }
}
