package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gitcrq.testsupport.git.TestGit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gitcrq} as a user runs it: from their own directory, not the gitcrq checkout. */
class GitcrqScriptIT {

    private static final Duration WAIT = Duration.ofSeconds(180);

    private final Path repoRoot = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    /** What one run of the script printed and exited with. */
    record Run(int exitCode, String out, String err) {}

    @Test
    void theCliWorksInTheUsersDirectorySoHooksGoIntoTheirClone() throws Exception {
        Path clone = work.resolve("clone");
        Files.createDirectories(clone);
        git(clone, "init", "-q", "-b", "main");
        Path checkoutHooks = repoRoot.resolve(".git").resolve("hooks");
        boolean checkoutHadHook = Files.exists(checkoutHooks.resolve("commit-msg"));

        Run run = gitcrq(clone, Map.of("GITCRQ_CLI_DAEMON", "0"), "hooks", "install");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(clone.resolve(".git/hooks/commit-msg")).exists();
        assertThat(clone.resolve(".git/hooks/pre-push")).exists();
        assertThat(Files.exists(checkoutHooks.resolve("commit-msg")))
                .as("the gitcrq checkout's own hooks are left alone")
                .isEqualTo(checkoutHadHook);
    }

    /**
     * The commit-msg hook {@code hooks install} writes: the first commit runs it in a JVM and starts the resident hook
     * runner from the CLI's jar; the next commit goes through the runner (its count says so), with the same outcome;
     * {@code hooks runner} finds it and stops it.
     */
    @Test
    void theInstalledCommitMsgHookStartsItsRunnerAndTheNextCommitGoesThroughIt() throws Exception {
        Path clone = work.resolve("clone");
        Files.createDirectories(clone);
        git(clone, "init", "-q", "-b", "main");
        git(clone, "checkout", "-q", "-b", "feature/CRQ-3-resident-hooks");
        Path runtime = Files.createDirectory(
                work.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Run install = gitcrq(clone, Map.of("GITCRQ_CLI_DAEMON", "0"), "hooks", "install");
        assertThat(install.exitCode()).as(install.out() + install.err()).isZero();
        assertThat(install.out()).contains("commit-msg asks the resident hook runner in ${XDG_RUNTIME_DIR:-/tmp}/");
        TestGit developer = TestGit.developer().with(Map.of("XDG_RUNTIME_DIR", runtime.toString()));

        developer.run(clone, "commit", "-q", "--allow-empty", "-m", "Run in a JVM");
        Path runner = awaitFile(runtime, "address").getParent();
        developer.run(clone, "commit", "-q", "--allow-empty", "-m", "Run by the runner");

        assertThat(git(clone, "log", "--format=%s|%(trailers:key=CRQ,valueonly,separator=)", "-2"))
                .isEqualTo("Run by the runner|CRQ-3\nRun in a JVM|CRQ-3");
        // The CLI finds the runner the hook script started (the same directory, computed in Java) and stops it.
        Map<String, String> cliEnv = Map.of("GITCRQ_CLI_DAEMON", "0", "XDG_RUNTIME_DIR", runtime.toString());
        Run status = gitcrq(clone, cliEnv, "hooks", "runner");
        assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).startsWith("gitcrq hook runner ").contains(runner + ", since ", "1 hooks run");
        Run stop = gitcrq(clone, cliEnv, "hooks", "runner", "--stop");
        assertThat(stop.out()).isEqualTo("stopped the hook runner in " + runner + "\n");
        Path log = runner.resolve("daemon.log"); // written once it closed its port: it may take a moment more
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.readString(log).contains("stops: its address file was removed or replaced; 1 hooks run")) {
            assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until a directory under {@code parent} holds {@code name}; that file. */
    private static Path awaitFile(Path parent, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (var children = Files.list(parent)) {
                var found = children.map(child -> child.resolve(name))
                        .filter(Files::exists)
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            assertThat(System.nanoTime()).as("no " + name + " under " + parent).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * The resident CLI: the first command starts it (and runs in a JVM of its own, as without it), later ones are
     * answered by it with the very output, errors and exit codes of the JVM; a command it does not serve still runs,
     * and {@code cli-daemon stop} ends it.
     */
    @Test
    void theResidentCliAnswersLaterCommandsExactlyAsTheJvmDoes() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer crqService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crqService.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            boolean known = exchange.getRequestURI().getPath().equals("/crqs/CRQ-5");
            byte[] body = (known
                            ? "{\"id\":\"CRQ-5\",\"title\":\"Zürich ✓ résumé\",\"requester\":\"alice\","
                                    + "\"status\":\"DRAFT\",\"repo\":\"demo\",\"targetBranch\":\"main\"}"
                            : "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                                    + "\"detail\":\"no such CRQ — CRQ-6 (X-Gitcrq-Exit: 0)\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", known ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        crqService.start();
        Path runtime = Files.createDirectory(
                work.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = Map.of(
                "XDG_RUNTIME_DIR", runtime.toString(),
                "GITCRQ_CRQ_URL", "http://127.0.0.1:" + crqService.getAddress().getPort(),
                "GITCRQ_USER", "alice",
                "GITCRQ_PASSWORD", "alice",
                "LANG", "C.UTF-8",
                "GITCRQ_CLI_DAEMON_IDLE_MINUTES", "10");
        try {
            Run first = gitcrq(work, env, "crq", "show", "CRQ-5");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("CRQ-5").contains("Zürich ✓ résumé");
            String status = awaitDaemon(env);
            assertThat(status).contains("commands run: 0");

            Run served = gitcrq(work, env, "crq", "show", "CRQ-5");
            Run missing = gitcrq(work, env, "crq", "show", "CRQ-6");
            assertThat(gitcrq(work, env, "cli-daemon", "status").out())
                    .as("both ran in the daemon")
                    .contains("commands run: 2");

            assertThat(served).isEqualTo(first);
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("no such CRQ — CRQ-6");
            Map<String, String> withoutDaemon = new java.util.HashMap<>(env);
            withoutDaemon.put("GITCRQ_CLI_DAEMON", "0");
            assertThat(missing).isEqualTo(gitcrq(work, withoutDaemon, "crq", "show", "CRQ-6"));
            assertThat(requests)
                    .containsExactly("GET /crqs/CRQ-5", "GET /crqs/CRQ-5", "GET /crqs/CRQ-6", "GET /crqs/CRQ-6");

            Run help = gitcrq(work, env, "crq", "--help");
            assertThat(help.exitCode())
                    .as("what the daemon does not serve runs in a JVM")
                    .isZero();
            assertThat(help.out()).contains("Usage: gitcrq crq");
        } finally {
            Run stop = gitcrq(work, env, "cli-daemon", "stop");
            crqService.stop(0);
            assertThat(stop.exitCode()).as(stop.out() + stop.err()).isZero();
            assertThat(stop.out()).contains("stops");
        }
        Run after = gitcrq(work, env, "cli-daemon", "status");
        assertThat(after.exitCode()).as(after.out()).isEqualTo(3);
        assertThat(after.out()).contains("no CLI daemon runs");
    }

    /** Waits until the daemon the first command started answers; its status. */
    private String awaitDaemon(Map<String, String> env) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Run status = gitcrq(work, env, "cli-daemon", "status");
            if (status.exitCode() == 0) {
                return status.out();
            }
            assertThat(System.nanoTime())
                    .as("the CLI daemon did not start: " + status.out())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Run gitcrq(Path directory, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command =
                new java.util.ArrayList<>(List.of(repoRoot.resolve("gitcrq").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Read to the end: a daemon the script started must not hold the caller's pipes open.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err.join());
    }
}
