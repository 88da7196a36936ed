package io.gitcrq.execagent.tmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wrapper scripts run by bash itself (no tmux): quoting, working directory, log, recording and exit status. */
class ManagedCommandTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "recorded: {0}")
    @ValueSource(booleans = {false, true})
    void theWrapperRunsTheCommandVerbatimInItsDirectoryAndRecordsOutputAndStatus(boolean record) throws Exception {
        Path cwd = Files.createDirectories(temp.resolve("it's a \"dir\" $HOME"));
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-1");
        assertThat(command.exitCode()).isEmpty();

        List<String> program = command.prepare(
                "printf '%s|' \"it's\" $'tab\\there' \"$(basename \"$PWD\")\"; "
                        + "echo; echo to-stderr >&2; echo \"shell=$SHELL\"; exit 7",
                cwd, "CRQ-3", record);
        run(program, Map.of("SHELL", "/bin/my-shell"));

        assertThat(command.exitCode()).hasValue(7);
        // The command sees the pane's SHELL, though script ran it with bash as its shell.
        assertThat(Files.readString(command.logFile()))
                .isEqualTo("it's|tab\there|it's a \"dir\" $HOME|\nto-stderr\nshell=/bin/my-shell\n");
        if (record) {
            assertThat(Files.readString(command.timingFile())).contains("H 0.000000 SHELL /", "O ");
            assertThat(Files.readString(command.typescriptFile()))
                    .contains("[CRQ-3 exec-1] $ printf", "it's|tab\there|", "to-stderr\r\n", "shell=/bin/my-shell");
        }
        assertThat(Files.list(temp.resolve("logs")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(
                        record
                                ? List.of(
                                        "exec-1.sh",
                                        "exec-1.run.sh",
                                        "exec-1.log",
                                        "exec-1.exit",
                                        "exec-1.pid",
                                        "exec-1.timing",
                                        "exec-1.typescript")
                                : List.of("exec-1.sh", "exec-1.run.sh", "exec-1.log", "exec-1.exit", "exec-1.pid"));
        // The pid of the command's own shell, which is not the wrapper's (the root of what a timeout kills).
        assertThat(command.commandPid()).isPresent();
    }

    @ParameterizedTest(name = "recorded: {0}")
    @ValueSource(booleans = {false, true})
    void anArgumentVectorRunsAsItsWordsWhichNoShellReadsAgain(boolean record) throws Exception {
        Path pwned = temp.resolve("pwned");
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-9");
        List<String> argv =
                List.of("printf", "%s|", "$(touch " + pwned + ")", "a b", "`touch " + pwned + "`", ";", "*");
        run(
                command.prepare(
                        argv,
                        "printf …",
                        temp,
                        "CRQ-3",
                        new ManagedCommand.Run(
                                Map.of("X", "$(touch " + pwned + ")"), Map.of(), record, false, List.of(), null)),
                Map.of());
        assertThat(command.exitCode()).hasValue(0);
        assertThat(Files.readString(command.logFile()))
                .isEqualTo("$(touch " + pwned + ")|a b|`touch " + pwned + "`|;|*|");
        assertThat(pwned).doesNotExist();
    }

    @ParameterizedTest(name = "recorded: {0}")
    @ValueSource(booleans = {false, true})
    void theExecsOwnVariablesAreSetForTheCommandOnly(boolean record) throws Exception {
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-4");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("GREETING", "it's \"quoted\" $HOME `x`");
        env.put("MULTI", "line 1\nline 2");
        env.put("ODD-NAME", "dash");
        env.put("HOME", "/elsewhere");
        run(
                command.prepare(
                        "printf '%s|' \"$GREETING\" \"$MULTI\" \"$HOME\"; env | grep -c '^ODD-NAME=dash$'",
                        temp, "CRQ-3", env, record),
                Map.of("HOME", "/home/pane"));

        assertThat(command.exitCode()).hasValue(0);
        assertThat(Files.readString(command.logFile()))
                .isEqualTo("it's \"quoted\" $HOME `x`|line 1\nline 2|/elsewhere|1\n");
        assertThat(Files.readString(command.runScript())).doesNotContain("exec_env=()");
    }

    @ParameterizedTest(name = "recorded: {0}")
    @ValueSource(booleans = {false, true})
    void aWorkingDirectoryGoneMissingIsAFailureWithALog(boolean record) throws Exception {
        ManagedCommand command = ManagedCommand.in(temp, "exec-2");
        run(command.prepare("echo never", temp.resolve("gone"), "CRQ-3", record), Map.of());

        assertThat(command.exitCode()).hasValue(1);
        assertThat(Files.readString(command.logFile())).contains("cannot enter").doesNotContain("never");
    }

    @Test
    void whenScriptCannotStartTheRunItRunsUnrecordedOnce() throws Exception {
        // A script that fails before running anything, as one would without a terminal to allocate.
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path fakeScript = bin.resolve("script");
        Files.writeString(fakeScript, "#!/bin/sh\necho 'script: failed to create pseudo-terminal' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fakeScript, PosixFilePermissions.fromString("rwx------"));
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-3");

        run(
                command.prepare("echo ran >> " + temp.resolve("runs") + "; echo done; exit 4", temp, "CRQ-3", true),
                Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH")));

        assertThat(command.exitCode()).hasValue(4);
        assertThat(Files.readString(command.logFile())).isEqualTo("done\n");
        assertThat(Files.readString(temp.resolve("runs"))).isEqualTo("ran\n");
    }

    @Test
    void aCommandToBeTracedWaitsForTheAgentsWordAfterWritingItsPid() throws Exception {
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-5");
        Path ran = temp.resolve("ran");
        Process process =
                start(command.prepare("echo ran > " + ran, temp, "CRQ-3", Map.of(), false, Duration.ofSeconds(10)));

        await().atMost(Duration.ofSeconds(10)).until(() -> command.commandPid().isPresent());
        long pid = command.commandPid().getAsLong();
        // Waiting (in a builtin: the shell that wrote its pid is still itself) and nothing of the command ran yet.
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !Files.exists(ran)
                        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        command.signalGo();

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(command.exitCode()).hasValue(0);
        assertThat(Files.readString(ran)).isEqualTo("ran\n");
        assertThat(command.attachMissed()).isFalse();
        command.removeHandshake();
        assertThat(command.goFile()).doesNotExist();
    }

    @Test
    void aCommandWhoseTracerNeverCameRunsAfterItsWaitAndSaysSo() throws Exception {
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-6");
        long begin = System.nanoTime();
        run(command.prepare("echo ran", temp, "CRQ-3", Map.of(), false, Duration.ofMillis(200)), Map.of());

        assertThat(command.exitCode()).hasValue(0);
        assertThat(Files.readString(command.logFile())).isEqualTo("ran\n");
        assertThat(command.attachMissed()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        // Too late to matter, and it never blocks although nobody reads any more.
        command.signalGo();
    }

    @ParameterizedTest(name = "interactive: {0}")
    @ValueSource(booleans = {false, true})
    void aCommandFollowedByItsTracerRunsUnderItsStraceWhichIsItsRootAndPassesItsStatusOn(boolean interactive)
            throws Exception {
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-7");
        List<String> tracer = List.of(
                "strace",
                "-f",
                "-q",
                "-e",
                "trace=execve",
                "-o",
                command.traceFile().toString(),
                "--");
        run(
                command.prepare(
                        "sh -c 'exit 3'; echo \"parent=$PPID\"; exit 5",
                        temp,
                        "CRQ-3",
                        new ManagedCommand.Run(Map.of("GREETING", "hi"), Map.of(), false, interactive, tracer, null)),
                Map.of());

        assertThat(command.exitCode()).hasValue(5);
        // The pid noted, the root a timeout kills, is strace's: the command's shell is its child.
        String parent = "parent=" + command.commandPid().getAsLong();
        String trace = Files.readString(command.traceFile());
        // Traced from its first exec: env with the exec's own variables, then the command.
        assertThat(trace.lines().findFirst().orElseThrow())
                .contains("execve(", "[\"env\", \"--\", \"GREETING=hi\", \"bash\", \"-c\", \"sh -c 'exit 3'; echo");
        assertThat(trace).contains("[\"sh\", \"-c\", \"exit 3\"]", "+++ exited with 3 +++", "+++ exited with 5 +++");
        assertThat(command.goFile()).doesNotExist();
        if (!interactive) {
            assertThat(Files.readString(command.logFile())).isEqualTo(parent + "\n");
        }
    }

    @Test
    void killingTheTreeOfAFollowedCommandFromItsNotedRootEndsItAndItsStraceWithTheSignalsStatus() throws Exception {
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-8");
        List<String> tracer = List.of(
                "strace",
                "-f",
                "-q",
                "-e",
                "trace=execve",
                "-o",
                command.traceFile().toString(),
                "--");
        Process process = start(command.prepare(
                "sh -c 'sleep 30'; echo never",
                temp,
                "CRQ-3",
                new ManagedCommand.Run(Map.of(), Map.of(), false, false, tracer, null)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> command.commandPid().isPresent()
                        && ProcessHandle.of(command.commandPid().getAsLong()).stream()
                                .flatMap(ProcessHandle::descendants)
                                .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
        ProcessHandle root = ProcessHandle.of(command.commandPid().getAsLong()).orElseThrow();
        assertThat(root.info().command().orElse("")).endsWith("strace");

        // As exec-agent's watcher stops a command: SIGTERM to the root and everything under it.
        List<ProcessHandle> tree = java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())
                .toList();
        tree.forEach(ProcessHandle::destroy);

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(command.exitCode()).hasValue(143);
        await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(Files.readString(command.logFile())).doesNotContain("never");
    }

    /** The wrapper ends in an interactive shell; with no terminal it reads end of input and ends at once. */
    private static void run(List<String> program, Map<String, String> environment) throws Exception {
        Process process = start(program, environment);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    private static Process start(List<String> program) throws Exception {
        return start(program, Map.of());
    }

    private static Process start(List<String> program, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(program)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        return builder.start();
    }
}
