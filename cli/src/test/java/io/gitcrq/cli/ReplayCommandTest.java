package io.gitcrq.cli;

import static io.gitcrq.cli.Fixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.command.ReplayCommand;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.process.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplayCommandTest {

    /** As exec-agent writes them: output, a resize, output with escapes and UTF-8, a long idle stretch. */
    private static final String CAST = """
            {"version":2,"width":120,"height":40,"timestamp":1795661676,"command":"make test","title":"CRQ-3 dev:build","env":{"SHELL":"/bin/bash","TERM":"tmux-256color"}}
            [0.100000,"o","\\u001B[1m[CRQ-3 e-7] $ make test\\u001B[0m\\r\\n"]
            [0.500000,"o","one\\r\\n"]
            [0.700000,"r","100x30"]
            [0.900000,"o","two – ✓\\r\\n"]
            [4.900000,"o","done\\r\\n"]
            """;

    private static final String PLAYED = "\u001b[1m[CRQ-3 e-7] $ make test\u001b[0m\r\none\r\ntwo – ✓\r\ndone\r\n";

    private FakeService agent;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        agent = FakeService.start();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void playsTheOutputWithTheRecordedPausesScaledBySpeedAndCutByMaxWait() {
        agent.on("GET", "/execs/e-7/recording", 200, CAST);

        Result normal = replay("replay", "e-7", "--user", "bob");
        assertThat(normal.exitCode()).as(normal.err()).isZero();
        assertThat(normal.out()).isEqualTo(PLAYED);
        // 0.1 s before the first output, then the gaps between outputs (the resize is passed over).
        assertThat(pauses).containsExactly(millis(100), millis(400), millis(400), millis(4000));
        FakeService.Request request = agent.onlyRequest();
        assertThat(request.method() + " " + request.path()).isEqualTo("GET /execs/e-7/recording");
        assertThat(request.authorization()).isEqualTo(basic("bob", "s3cret-pw"));

        pauses.clear();
        Result fast = replay("replay", "e-7", "--speed", "2", "--user", "bob");
        assertThat(fast.out()).isEqualTo(PLAYED);
        assertThat(pauses).containsExactly(millis(50), millis(200), millis(200), millis(2000));

        pauses.clear();
        Result capped = replay("replay", "e-7", "--speed", "0.5", "--max-wait", "0.6", "--user", "bob");
        assertThat(capped.out()).isEqualTo(PLAYED);
        assertThat(pauses).containsExactly(millis(200), millis(600), millis(600), millis(600));
    }

    @Test
    void dumpAndJsonPrintTheRecordingItselfWithoutPausing() {
        agent.on("GET", "/execs/e-7/recording", 200, CAST);

        Result dump = replay("replay", "e-7", "--dump", "--user", "bob");
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out()).isEqualTo(CAST);
        Result json = replay("--json", "replay", "e-7", "--user", "bob");
        assertThat(json.out()).isEqualTo(CAST);
        assertThat(pauses).isEmpty();
    }

    @Test
    void playsInRealTimeByDefault() {
        agent.on("GET", "/execs/e-8/recording", 200, """
                {"version":2,"width":80,"height":24,"timestamp":1,"env":{}}
                [0.05,"o","a"]
                [0.25,"o","b\\n"]
                """);
        CliRunner cli = new CliRunner().service(Service.EXEC_AGENT, agent);

        long start = System.nanoTime();
        CliRunner.Result result = cli.run("replay", "e-8", "--speed", "2", "--user", "bob");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("ab\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(millis(120));
    }

    @Test
    void aMissingRecordingABadOneAndBadOptionsAreErrors() {
        agent.on(
                "GET",
                "/execs/e-9/recording",
                404,
                FakeService.problem(
                        404, "Not Found", "exec e-9 is still running: its recording is written when it ends"));
        // An exec's JSON where its recording belongs.
        agent.on("GET", "/execs/e-10/recording", 200, Fixtures.answer(ExecAgentSamples.exec("e-10", "FINISHED")));
        agent.on("GET", "/execs/e-11/recording", 200, "{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\"]\n");

        Result missing = replay("replay", "e-9", "--user", "bob");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("404 Not Found: exec e-9 is still running");
        Result notACast = replay("replay", "e-10", "--user", "bob");
        assertThat(notACast.exitCode()).isEqualTo(1);
        assertThat(notACast.err()).contains("not an asciicast v2 recording");
        Result badEvent = replay("replay", "e-11", "--user", "bob");
        assertThat(badEvent.exitCode()).isEqualTo(1);
        assertThat(badEvent.err()).contains("line 2");

        int requests = agent.requests().size();
        assertThat(replay("replay", "e-7", "--speed", "0", "--user", "bob").exitCode())
                .isEqualTo(2);
        assertThat(replay("replay", "e-7", "--max-wait", "-1", "--user", "bob").exitCode())
                .isEqualTo(2);
        assertThat(replay("replay", "--user", "bob").exitCode()).isEqualTo(2);
        assertThat(agent.requests()).hasSize(requests);
    }

    private record Result(int exitCode, String out, String err) {}

    /** Runs the CLI like {@link CliRunner}, with the replay command's pauses noted instead of waited. */
    private Result replay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of("GITCRQ_PASSWORD", "s3cret-pw"),
                name -> name.equals(Service.EXEC_AGENT.systemProperty()) ? agent.url() : "http://127.0.0.1:9",
                prompt -> Optional.empty(),
                Path.of("/work/here"),
                Duration.ofMillis(20));
        CommandLine commandLine = new GitcrqCli(environment).commandLine();
        ReplayCommand replay = commandLine.getSubcommands().get("replay").getCommand();
        replay.useSleeper(pauses::add);
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
