package io.gitcrq.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gitcrq.cli.CliRunner;
import io.gitcrq.cli.FakeService;
import io.gitcrq.cli.Fixtures;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.resident.DaemonRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident CLI on a real Unix socket, called by real {@code curl} the way {@code ./gitcrq} calls it (the same
 * options, stderr read back through bash's {@code printf %b}): a served command answers exactly as the CLI run
 * in-process does, output, error and exit code; what it cannot serve falls back before anything ran; its socket is
 * its user's only, and it stops when its socket goes.
 */
class CliDaemonTest {

    @TempDir
    Path temp;

    private Path dir;
    private CliDaemon daemon;
    private CompletableFuture<String> serving;
    private FakeService crqService;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createDirectory(
                temp.resolve("daemon"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        daemon = CliDaemon.start(dir.resolve("cli.sock"), Duration.ofMinutes(5)).orElseThrow();
        serving = CompletableFuture.supplyAsync(daemon::serve);
        crqService = FakeService.start();
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
        crqService.close();
    }

    /** What {@code ./gitcrq} prints and exits with when the daemon ran the command. */
    record Answer(int curlExit, String headers, String out, String err, Integer exitCode) {
        boolean fellBack() {
            return headers.contains("X-Gitcrq-Fallback: ");
        }
    }

    @Test
    void aServedCommandAnswersExactlyAsTheCliDoesInItsOwnProcess() throws Exception {
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);
        crqService.on("GET", "/crqs/CRQ-8", 404, FakeService.problem(404, "Not Found", "no CRQ-8 — none at all"));

        for (List<String> args : List.of(
                List.of("crq", "show", "CRQ-7"),
                List.of("--json", "crq", "show", "CRQ-7"),
                List.of("crq", "show", "CRQ-8"),
                List.of("crq", "show", "12"))) {
            Answer answer = call(env(), args);
            CliRunner.Result direct = inProcess(args);

            assertThat(answer.fellBack()).as("%s: %s", args, answer.headers()).isFalse();
            assertThat(answer.exitCode()).as("%s", args).isEqualTo(direct.exitCode());
            assertThat(answer.out()).as("%s", args).isEqualTo(direct.out());
            assertThat(answer.err()).as("%s", args).isEqualTo(direct.err());
        }
        assertThat(inProcess(List.of("crq", "show", "CRQ-8")).err()).contains("no CRQ-8 — none at all");
        assertThat(crqService.requests())
                .extracting(FakeService.Request::authorization)
                .containsOnly(Fixtures.basic("alice", "s3cret-pw"));
    }

    @Test
    void aFileNamedOnTheCommandLineIsTheCallersRelativeToTheirDirectory() throws Exception {
        Path caller = Files.createDirectories(temp.resolve("caller"));
        Files.writeString(caller.resolve("export.jsonl"), "{\"not\": \"an export line\"}\n");

        for (String file : List.of("export.jsonl", "missing.jsonl")) {
            List<String> args = List.of("audit", "verify", "--file", file);
            Answer answer = curl(new DaemonRequest(caller, env(), args).toBytes(), "run");
            CliRunner runner = new CliRunner().workingDirectory(caller);
            env().forEach(runner::env);
            CliRunner.Result direct = runner.run(args.toArray(String[]::new));

            assertThat(answer.exitCode()).as(file).isEqualTo(direct.exitCode()).isNotZero();
            assertThat(answer.err()).as(file).isEqualTo(direct.err());
            assertThat(answer.out()).as(file).isEqualTo(direct.out());
        }
        assertThat(inProcessIn(caller, "audit", "verify", "--file", "missing.jsonl")
                        .err())
                .contains(caller.resolve("missing.jsonl").toString());
        assertThat(inProcessIn(caller, "audit", "verify", "--file", "export.jsonl")
                        .err())
                .doesNotContain("cannot read");
    }

    @Test
    void whatNeedsTheTerminalItsInputOrLocalProgramsFallsBackBeforeAnythingRan() throws Exception {
        Map<String, String> noPassword = env();
        noPassword.remove("GITCRQ_PASSWORD");
        assertThat(call(noPassword, List.of("crq", "show", "CRQ-7")).headers())
                .contains("X-Gitcrq-Fallback: a password prompt needs the terminal");
        for (List<String> args : List.<List<String>>of(
                List.of("hooks", "install"),
                List.of("login", "--user", "alice"),
                List.of("launch", "gemini", "--crq", "CRQ-7"),
                List.of("repo", "--json", "scan", "demo"),
                List.of("--user", "repo", "repo", "scan", "demo"),
                List.of("--help"),
                List.of("crq", "show", "--help"),
                List.of("--version"),
                List.of())) {
            assertThat(call(env(), args).fellBack()).as("%s", args).isTrue();
        }
        assertThat(crqService.requests())
                .as("nothing was sent for a call that fell back")
                .isEmpty();
    }

    @Test
    void aRequestItCannotReadFallsBackAndSaysWhy() throws Exception {
        Answer wrongVersion = curl(("V:2\0C:/\0A:crq\0").getBytes(StandardCharsets.UTF_8), "run");
        assertThat(wrongVersion.headers()).contains("X-Gitcrq-Fallback: not a request of version 1");
        Answer noDirectory = curl(("V:1\0A:crq\0").getBytes(StandardCharsets.UTF_8), "run");
        assertThat(noDirectory.headers()).contains("X-Gitcrq-Fallback: no working directory");
        Answer unknownTarget = curl(new byte[0], "exec");
        assertThat(unknownTarget.headers()).contains("X-Gitcrq-Fallback: unknown target /exec");
    }

    @Test
    void itsSocketIsItsUsersOnlyAndOneDaemonServesADirectory() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())))
                .isEqualTo("rw-------");
        assertThat(CliDaemon.start(dir.resolve("cli.sock"), Duration.ofMinutes(5)))
                .as("the directory's lock is held")
                .isEmpty();

        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> CliDaemon.start(open.resolve("cli.sock"), Duration.ofMinutes(5)))
                .hasMessageContaining("must be closed to other users");
    }

    @Test
    void anotherUsersConnectionGetsNoAnswer() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to connect as another user");
        // As if the directory had been opened to others by mistake: the peer's credentials still keep them out.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(daemon.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        crqService.on("GET", "/crqs/CRQ-7", 200, Fixtures.DETAILED_CRQ);
        byte[] request = new DaemonRequest(Path.of("/"), env(), List.of("crq", "show", "CRQ-7")).toBytes();

        Answer asNobody = curl(request, "run", List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));

        // Closed without a word; what curl makes of it depends on how far it got when the daemon closed: "Couldn't
        // connect" (7: closed before curl saw its connection up, seen under load), failed sending (55), reset while
        // receiving (56), "Empty reply from server" (52). Never an answer.
        assertThat(asNobody.curlExit()).as(asNobody.err()).isIn(7, 52, 55, 56);
        assertThat(asNobody.headers()).isEmpty();
        assertThat(asNobody.out()).isEmpty();
        assertThat(crqService.requests()).isEmpty();
        // It was there to refuse: its owner is still answered.
        assertThat(curl(new byte[0], "status").out())
                .contains("gitcrq CLI daemon " + ProcessHandle.current().pid());
    }

    @Test
    void itStopsWhenAskedOrWhenItsSocketIsRemoved() throws Exception {
        Answer status = curl(new byte[0], "status");
        assertThat(status.out())
                .contains("gitcrq CLI daemon " + ProcessHandle.current().pid());

        Files.delete(daemon.socket());
        assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo("its socket was removed or replaced");

        Path second = temp.resolve("second");
        Files.createDirectory(
                second, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (CliDaemon another = CliDaemon.start(second.resolve("cli.sock"), Duration.ofMinutes(5))
                .orElseThrow()) {
            CompletableFuture<String> anotherServing = CompletableFuture.supplyAsync(another::serve);
            Path socket = another.socket();
            Answer stopped = curl(new byte[0], "stop", List.of(), socket);
            assertThat(stopped.exitCode()).isZero();
            assertThat(anotherServing.get(30, TimeUnit.SECONDS)).isEqualTo("asked to stop");
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITCRQ_CRQ_URL", crqService.url());
        env.put("GITCRQ_USER", "alice");
        env.put("GITCRQ_PASSWORD", "s3cret-pw");
        env.put("LANG", "C.UTF-8");
        env.put("XDG_CONFIG_HOME", temp.resolve("config").toString());
        return env;
    }

    private CliRunner.Result inProcess(List<String> args) {
        CliRunner runner = new CliRunner().service(Service.CRQ, crqService);
        env().forEach(runner::env);
        return runner.run(args.toArray(String[]::new));
    }

    private CliRunner.Result inProcessIn(Path directory, String... args) {
        CliRunner runner = new CliRunner().workingDirectory(directory);
        env().forEach(runner::env);
        return runner.run(args);
    }

    private Answer call(Map<String, String> env, List<String> args) throws Exception {
        return curl(new DaemonRequest(temp, env, args).toBytes(), "run");
    }

    private Answer curl(byte[] body, String target) throws Exception {
        return curl(body, target, List.of(), daemon.socket());
    }

    private Answer curl(byte[] body, String target, List<String> asUser) throws Exception {
        return curl(body, target, asUser, daemon.socket());
    }

    /** curl with the options of ./gitcrq; the headers and trailers are read from -D, stderr decoded by bash. */
    private Answer curl(byte[] body, String target, List<String> asUser, Path socket) throws Exception {
        Path headers = Files.createTempFile(temp, "headers", ".txt");
        Files.setPosixFilePermissions(headers, PosixFilePermissions.fromString("rw-rw-rw-")); // curl as another user
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of(
                "curl",
                "-sS",
                "-N",
                "--unix-socket",
                socket.toString(),
                "-H",
                "Expect:",
                "-H",
                "Content-Type: application/octet-stream",
                "--data-binary",
                "@-",
                "-D",
                headers.toString(),
                "http://gitcrq-cli/" + target));
        Process curl = new ProcessBuilder(command).start();
        curl.getOutputStream().write(body);
        curl.getOutputStream().close();
        CompletableFuture<byte[]> curlErr = CompletableFuture.supplyAsync(() -> readAll(curl.getErrorStream()));
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String head = Files.exists(headers) ? Files.readString(headers, StandardCharsets.ISO_8859_1) : "";
        Integer exit = trailer(head, "X-Gitcrq-Exit").map(Integer::valueOf).orElse(null);
        String err = trailer(head, "X-Gitcrq-Stderr")
                .map(CliDaemonTest::printfB)
                .orElse(new String(curlErr.get(), StandardCharsets.UTF_8));
        return new Answer(curl.exitValue(), head, out, err, exit);
    }

    private static Optional<String> trailer(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith(name + ": ")) {
                return Optional.of(line.substring(name.length() + 2));
            }
        }
        return Optional.empty();
    }

    /** What bash's printf '%b' prints of {@code escaped}, as ./gitcrq prints a call's stderr. */
    static String printfB(String escaped) {
        try {
            Process bash = new ProcessBuilder("bash", "-c", "printf '%b' \"$1\"", "bash", escaped).start();
            String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return printed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
