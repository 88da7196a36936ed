package io.gitcrq.cli.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.CliRunner;
import io.gitcrq.cli.IsolatedGit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident hook runner with the script {@code hooks install} writes for it, under the real {@code git} and bash:
 * commits through the runner, callers it refuses, and a listener that is not the runner, which gets no request. The
 * script's JVM fallback and the runner's start are stand-in scripts here that record their calls, so a test sees
 * which way the hook ran (HooksTest runs the hooks in a JVM).
 */
class HookDaemonTest {

    @TempDir
    Path tmp;

    private IsolatedGit isolated;
    private Path runnerDirectory;
    private Path fallbackCalls;
    private Path runnerStarts;
    private HookDaemon daemon;
    private CompletableFuture<String> serving;

    @BeforeEach
    void setUp() throws IOException {
        isolated = new IsolatedGit(tmp);
        runnerDirectory = Files.createDirectory(
                tmp.resolve("runner"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        fallbackCalls = tmp.resolve("fallback-calls");
        runnerStarts = tmp.resolve("runner-starts");
    }

    @AfterEach
    void stopTheRunner() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void commitMsgRunsInTheRunnerWithTheCallersGitEnvironment() throws Exception {
        startRunner();
        Path repository = repositoryWithHook();
        isolated.gitOk(repository, "checkout", "-q", "-b", "feature/CRQ-7-cache");

        isolated.commit(repository, "Tune the cache");
        assertThat(isolated.message(repository)).isEqualTo("Tune the cache\n\nCRQ: CRQ-7\n");

        isolated.gitOk(repository, "checkout", "-q", "-b", "scratch");
        IsolatedGit.Run refused = isolated.git(repository, "commit", "--allow-empty", "-m", "Try things");
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.err()).contains("commit refused: its message names no CRQ and branch 'scratch' names none");

        // git -c reaches the hook as GIT_CONFIG_PARAMETERS: the runner's git must read it as the hook's would.
        isolated.gitOk(repository, "-c", "gitcrq.exemptBranches=scratch", "commit", "-q", "--allow-empty", "-m", "Try");
        assertThat(isolated.message(repository)).isEqualTo("Try\n");

        assertThat(fallbackCalls).doesNotExist();
        assertThat(runnerStarts).doesNotExist();
        assertThat(status()).contains("3 hooks run, 0 callers refused");
    }

    @Test
    void withoutARunnerTheHookRunsInAJvmAndStartsTheRunner() throws Exception {
        Path repository = repositoryWithHook();
        isolated.gitOk(repository, "checkout", "-q", "-b", "feature/CRQ-7-cache");

        isolated.commit(repository, "Tune the cache");

        assertThat(Files.readString(fallbackCalls)).isEqualTo("hook commit-msg .git/COMMIT_EDITMSG\n");
        assertThat(runnerStartsOnceStarted()).isEqualTo(runnerDirectory + "\n");
    }

    @Test
    void gitcrqHookDaemonZeroRunsTheJvmWhileTheRunnerIsUp() throws Exception {
        startRunner();
        Path repository = repositoryWithHook();
        isolated.gitOk(repository, "checkout", "-q", "-b", "feature/CRQ-7-cache");

        IsolatedGit.Run commit = isolated.run(
                repository,
                List.of("git", "commit", "-q", "--allow-empty", "-m", "Tune"),
                Map.of("GITCRQ_HOOK_DAEMON", "0"));

        assertThat(commit.exitCode()).as(commit.describe()).isZero();
        assertThat(Files.readString(fallbackCalls)).isEqualTo("hook commit-msg .git/COMMIT_EDITMSG\n");
        assertThat(status()).contains("0 hooks run");
    }

    @Test
    void aCallerWithoutTheClientTokenGetsNoAnswer() throws Exception {
        startRunner();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), daemon.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("T:" + "0".repeat(64) + "\0").getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
        assertThat(status()).contains("0 hooks run, 1 callers refused");
    }

    @Test
    void aListenerThatIsNotTheRunnerGetsTheClientTokenButNoRequest() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.writeString(
                    runnerDirectory.resolve(HookDaemon.ADDRESS_FILE),
                    squatter.getLocalPort() + "\nclient-token\nserver-token\n");
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
                try (Socket caller = squatter.accept()) {
                    caller.setSoTimeout(60_000);
                    InputStream in = caller.getInputStream();
                    ByteArrayOutputStream token = new ByteArrayOutputStream();
                    for (int b = in.read(); b > 0; b = in.read()) {
                        token.write(b);
                    }
                    caller.getOutputStream().write("S:a-guess\0".getBytes(StandardCharsets.US_ASCII));
                    return token.toString(StandardCharsets.US_ASCII) + "|"
                            + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            Path repository = repositoryWithHook();
            isolated.gitOk(repository, "checkout", "-q", "-b", "feature/CRQ-7-cache");

            isolated.commit(repository, "Secret plans");

            assertThat(heard.get(60, TimeUnit.SECONDS)).isEqualTo("T:client-token|");
            assertThat(Files.readString(fallbackCalls)).isEqualTo("hook commit-msg .git/COMMIT_EDITMSG\n");
            assertThat(runnerStartsOnceStarted()).isEqualTo(runnerDirectory + "\n");
        }
    }

    @Test
    void theRunnerAnswersOnlyCommitMsgAndStopsWhenItsAddressFileIsGone() throws Exception {
        startRunner();

        String answer = call(List.of("V:1", "C:" + tmp, "A:pre-push", "A:origin"));
        assertThat(answer).isEqualTo("F:only commit-msg FILE is run here\0");
        assertThat(call(List.of("V:1", "C:" + tmp, "E:PATH=/tmp", "A:commit-msg", "A:x")))
                .isEqualTo("F:bad request: the variable PATH is not git's\0");

        Files.delete(runnerDirectory.resolve(HookDaemon.ADDRESS_FILE));
        assertThat(serving.get(60, TimeUnit.SECONDS)).isEqualTo("its address file was removed or replaced");
    }

    @Test
    void hooksRunnerSaysWhetherTheRunnerOfThisCliRunsAndStopsIt() throws Exception {
        CliRunner cli = new CliRunner().env("XDG_RUNTIME_DIR", tmp.toString());
        runnerDirectory = HookInstaller.runnerDirectoryOfThisCli(Map.of("XDG_RUNTIME_DIR", tmp.toString()));
        CliRunner.Result none = cli.run("hooks", "runner");
        assertThat(none.exitCode()).as(none.err()).isEqualTo(3);
        assertThat(none.out())
                .isEqualTo("no hook runner runs in " + runnerDirectory + " (the next commit starts one)\n");

        Files.createDirectory(
                runnerDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        startRunner();
        CliRunner.Result status = cli.run("hooks", "runner");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out())
                .startsWith("gitcrq hook runner " + ProcessHandle.current().pid() + " in " + runnerDirectory)
                .contains("0 hooks run, 0 callers refused");

        CliRunner.Result stopped = cli.run("hooks", "runner", "--stop");
        assertThat(stopped.out()).isEqualTo("stopped the hook runner in " + runnerDirectory + "\n");
        assertThat(serving.get(60, TimeUnit.SECONDS)).isEqualTo("its address file was removed or replaced");
        assertThat(cli.run("hooks", "runner", "--stop").exitCode()).isEqualTo(3);
    }

    private void startRunner() throws IOException {
        daemon = HookDaemon.start(runnerDirectory, Duration.ofMinutes(5)).orElseThrow();
        HookDaemon running = daemon;
        serving = CompletableFuture.supplyAsync(running::serve);
    }

    /** A repository whose commit-msg is the resident script, with stand-ins for the JVM and the runner's start. */
    private Path repositoryWithHook() throws IOException {
        Path repository = isolated.repository("work");
        Path fallback = executable(
                "fallback.sh", "#!/bin/sh\necho \"$*\" >> " + IsolatedGit.shellQuote(fallbackCalls.toString()) + "\n");
        Path starter = executable(
                "start-runner.sh",
                "#!/bin/sh\necho \"$*\" >> " + IsolatedGit.shellQuote(runnerStarts.toString()) + "\n");
        Path hook = repository.resolve(".git/hooks/commit-msg");
        Files.writeString(
                hook,
                HookInstaller.residentScript(
                        "commit-msg",
                        IsolatedGit.shellQuote(fallback.toString()),
                        IsolatedGit.shellQuote(starter.toString()),
                        runnerDirectory.toString()));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        return repository;
    }

    /** What the runner's stand-in starter recorded: the hook starts it in the background, so it may come late. */
    private String runnerStartsOnceStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(runnerStarts) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(200); // a second start would show up by now
        return Files.readString(runnerStarts);
    }

    private Path executable(String name, String text) throws IOException {
        Path script = tmp.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private String status() throws IOException {
        return call(List.of("V:1", "C:" + tmp));
    }

    /** One call as the script makes it, with the tokens of the runner's address file; returns the whole answer. */
    private String call(List<String> fields) throws IOException {
        return HookRunnerControl.call(runnerDirectory, fields);
    }
}
