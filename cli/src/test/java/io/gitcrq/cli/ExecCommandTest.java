package io.gitcrq.cli;

import static io.gitcrq.cli.ExecAgentSamples.exec;
import static io.gitcrq.cli.ExecAgentSamples.failed;
import static io.gitcrq.cli.Fixtures.answer;
import static io.gitcrq.cli.Fixtures.basic;
import static io.gitcrq.cli.Fixtures.sent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.http.Service;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.crq.QueueExecRequest;
import io.gitcrq.model.api.crq.QueuedExec;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

    private final ObjectMapper mapper = ApiJson.mapper();
    private FakeService agent;
    private CliRunner cli;

    @BeforeEach
    void start() {
        agent = FakeService.start();
        cli = new CliRunner().service(Service.EXEC_AGENT, agent);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void waitsForTheResultAndExitsWithTheCommandsExitCode() throws Exception {
        agent.on("POST", "/execs", 202, answer(exec("e-42", "RUNNING")));
        agent.on("GET", "/execs/e-42", 200, answer(exec("e-42", "RUNNING")));
        agent.on("GET", "/execs/e-42", 200, answer(exec("e-42", "RUNNING")));
        agent.on("GET", "/execs/e-42", 200, answer(exec("e-42", "FINISHED", 7, "/var/log/gitcrq/e-42.log")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "crq-3",
                "--session",
                "dev",
                "--pane",
                "1",
                "--branch",
                "feature/CRQ-3-x",
                "--cwd",
                "/src/app",
                "--user",
                "alice",
                "--",
                "grep",
                "-r",
                "it's here",
                "src/");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(7);
        assertThat(result.out()).isEqualTo("exec e-42 FINISHED, exit code 7\nlog: /var/log/gitcrq/e-42.log\n");
        FakeService.Request submit = agent.requests().get(0);
        assertThat(submit.method()).isEqualTo("POST");
        assertThat(submit.path()).isEqualTo("/execs");
        assertThat(submit.authorization()).isEqualTo(basic("alice", "s3cret-pw"));
        assertThat(sent(submit, StartExecRequest.class))
                .isEqualTo(new StartExecRequest(
                        "dev",
                        "1",
                        "grep -r 'it'\\''s here' src/",
                        "CRQ-3",
                        "feature/CRQ-3-x",
                        "/src/app",
                        null,
                        null,
                        null));
        assertThat(agent.requests()).hasSize(5);
        assertThat(agent.requests().subList(1, 4))
                .allSatisfy(
                        poll -> assertThat(poll.method() + " " + poll.path()).isEqualTo("GET /execs/e-42"));
        // Then its output, from the recording (none here).
        assertThat(agent.requests().get(4).path()).isEqualTo("/execs/e-42/recording");
    }

    @Test
    void whatTheCommandPrintedIsShownFromItsRecordingBeforeItsExitCode() {
        agent.on("POST", "/execs", 202, answer(exec("e-9", "RUNNING")));
        agent.on("GET", "/execs/e-9", 200, answer(exec("e-9", "FINISHED", 1, "/var/log/gitcrq/e-9.log")));
        agent.on(
                "GET",
                "/execs/e-9/recording",
                200,
                "{\"version\":2,\"width\":80,\"height\":24}\n"
                        + "[0.1,\"o\",\"[CRQ-3 e-9] $ make test\\r\\n\"]\n"
                        + "[0.5,\"o\",\"3 tests, 1 failure\\r\\n\"]\n");

        CliRunner.Result result = cli.run(
                "exec", "--crq", "CRQ-3", "--session", "dev", "--pane", "1", "--user", "alice", "--", "make", "test");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.out())
                .startsWith("[CRQ-3 e-9] $ make test\r\n3 tests, 1 failure\r\n")
                .endsWith("exec e-9 FINISHED, exit code 1\nlog: /var/log/gitcrq/e-9.log\n");
        CliRunner.Result quiet = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "1",
                "--user",
                "alice",
                "--no-output",
                "--",
                "make",
                "test");
        assertThat(quiet.out()).doesNotContain("3 tests");
    }

    @Test
    void aSuccessfulCommandExitsZeroAndJsonShowsTheFinalState() throws Exception {
        agent.on("POST", "/execs", 202, answer(exec("e-1", "RUNNING")));
        agent.on("GET", "/execs/e-1", 200, answer(exec("e-1", "FINISHED", 0, "/var/log/gitcrq/e-1.log")));

        CliRunner.Result result = cli.run(
                "exec", "--crq", "CRQ-3", "--session", "dev", "--pane", "0", "--user", "alice", "--json", "--", "true");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(mapper.readValue(result.out(), ExecView.class))
                .isEqualTo(exec("e-1", "FINISHED", 0, "/var/log/gitcrq/e-1.log"));
        assertThat(sent(agent.requests().get(0), StartExecRequest.class).command())
                .isEqualTo("true");
    }

    @Test
    void auditSourcesAreAskedFor() throws Exception {
        agent.on("POST", "/execs", 202, answer(exec("e-3", "RUNNING")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "0",
                "--no-wait",
                "--audit",
                "process,file",
                "--audit-path",
                "/srv/cache",
                "--user",
                "alice",
                "--",
                "make");

        assertThat(result.exitCode()).as(result.err()).isZero();
        StartExecRequest asked = sent(agent.requests().get(0), StartExecRequest.class);
        assertThat(asked.audit()).containsExactly("process", "file");
        assertThat(asked.auditPaths()).containsExactly("/srv/cache");
    }

    @Test
    void aRequestTheAgentCouldNotAnswerIsSentAgainUnderTheSameKeySoTheCommandRunsOnce() {
        // The agent stops (503) as the request arrives, then answers it after its restart.
        agent.on(
                        "POST",
                        "/execs",
                        503,
                        FakeService.problem(503, "Service Unavailable", "may or may not have taken effect"))
                .on("POST", "/execs", 202, answer(exec("e-7", "RUNNING")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "0",
                "--no-wait",
                "--user",
                "alice",
                "--",
                "make",
                "test");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("e-7\n");
        List<FakeService.Request> tries = agent.requests();
        assertThat(tries).hasSize(2);
        assertThat(tries.get(0).idempotencyKey())
                .isNotBlank()
                .isEqualTo(tries.get(1).idempotencyKey());
        assertThat(tries.get(1).json()).isEqualTo(tries.get(0).json());

        // Another command is another request: a key of its own.
        agent.on("POST", "/execs", 202, answer(exec("e-8", "RUNNING")));
        cli.run("exec", "--crq", "CRQ-3", "--no-wait", "--user", "alice", "--", "make", "lint");
        assertThat(agent.requests().get(2).idempotencyKey())
                .isNotBlank()
                .isNotEqualTo(tries.get(0).idempotencyKey());
    }

    @Test
    void noWaitPrintsTheExecIdWithoutPolling() {
        agent.on("POST", "/execs", 202, answer(exec("e-9", "RUNNING")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "0",
                "--no-wait",
                "--user",
                "alice",
                "--",
                "sleep",
                "100");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("e-9\n");
        assertThat(agent.requests()).hasSize(1);
    }

    @Test
    void aFailedExecWithoutExitCodeExits1() {
        agent.on("POST", "/execs", 202, answer(exec("e-5", "RUNNING")));
        agent.on("GET", "/execs/e-5", 200, answer(failed("e-5", "no tmux session dev")));

        CliRunner.Result result =
                cli.run("exec", "--crq", "CRQ-3", "--session", "dev", "--pane", "0", "--user", "alice", "--", "ls");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no tmux session dev");
    }

    @Test
    void givesUpAfterTheTimeout() {
        agent.on("POST", "/execs", 202, answer(exec("e-6", "RUNNING")));
        agent.on("GET", "/execs/e-6", 200, answer(exec("e-6", "RUNNING")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "0",
                "--timeout",
                "0",
                "--user",
                "alice",
                "--",
                "sleep",
                "5");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("did not finish within 0 s");
    }

    @Test
    void queuedCommandsGoToCrqServiceForItsHostAndPrintTheExecId() throws Exception {
        try (FakeService crqService = FakeService.start()) {
            crqService.on(
                    "POST",
                    "/crqs/CRQ-3/exec-requests",
                    202,
                    answer(new QueuedExec(
                            "e-7", "CRQ-3", "build-1", "dev", "0", "alice", Instant.parse("2026-12-02T10:05:00Z"))));

            CliRunner.Result result = cli.service(Service.CRQ, crqService)
                    .run(
                            "exec",
                            "--crq",
                            "crq-3",
                            "--queue",
                            "--host",
                            "build-1",
                            "--session",
                            "dev",
                            "--pane",
                            "0",
                            "--audit",
                            "file",
                            "--user",
                            "alice",
                            "--",
                            "make",
                            "it's");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("e-7\n");
            FakeService.Request sent = crqService.onlyRequest();
            assertThat(sent.authorization()).isEqualTo(basic("alice", "s3cret-pw"));
            assertThat(sent(sent, QueueExecRequest.class))
                    .isEqualTo(new QueueExecRequest(
                            "build-1", "dev", "0", "make 'it'\\''s'", null, null, List.of("file"), null));
            assertThat(agent.requests()).as("nothing goes to the local agent").isEmpty();
        }
    }

    @Test
    void queueAndHostGoTogether() {
        CliRunner.Result noHost = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--queue",
                "--session",
                "dev",
                "--pane",
                "0",
                "--user",
                "alice",
                "--",
                "make");
        CliRunner.Result noQueue = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--host",
                "h",
                "--session",
                "dev",
                "--pane",
                "0",
                "--user",
                "alice",
                "--",
                "make");

        assertThat(noHost.exitCode()).isEqualTo(2);
        assertThat(noHost.err()).contains("--queue and --host HOST go together");
        assertThat(noQueue.exitCode()).isEqualTo(2);
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void aCommandIsRequired() {
        CliRunner.Result result =
                cli.run("exec", "--crq", "CRQ-3", "--session", "dev", "--pane", "0", "--user", "alice");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void runningACommandStillNeedsACrq() {
        CliRunner.Result result = cli.run("exec", "--session", "dev", "--user", "alice", "--", "make");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--crq=CRQ-n'");
        assertThat(cli.run("exec", "--user", "alice").exitCode()).isEqualTo(2);
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void withoutSessionOrPaneACommandRunsInTheCrqsSessionInAPaneOfItsOwn() throws Exception {
        for (String id : List.of("e-1", "e-2")) {
            agent.on("POST", "/execs", 202, answer(exec(id, "RUNNING")));
            agent.on("GET", "/execs/" + id, 200, answer(exec(id, "FINISHED", 0, "/var/log/gitcrq/" + id + ".log")));
        }

        assertThat(cli.run("exec", "--crq", "CRQ-3", "--user", "alice", "--no-output", "--", "make", "test")
                        .exitCode())
                .isZero();
        assertThat(cli.run("exec", "--crq", "CRQ-3", "--user", "alice", "--no-output", "--", "make", "test")
                        .exitCode())
                .isZero();

        List<StartExecRequest> sent = agent.requests().stream()
                .filter(r -> r.method().equals("POST"))
                .map(r -> sent(r, StartExecRequest.class))
                .toList();
        assertThat(sent).extracting(StartExecRequest::session).containsExactly("crq-3", "crq-3");
        assertThat(sent).extracting(StartExecRequest::pane).allMatch(p -> p.matches("exec-[0-9a-f]{8}"));
        assertThat(sent.get(0).pane()).isNotEqualTo(sent.get(1).pane());
    }

    @Test
    void aCommandNamedLikeASubcommandRunsWhenItComesAfterTheDoubleDash() throws Exception {
        agent.on("POST", "/execs", 202, answer(exec("e-5", "RUNNING")));
        agent.on("GET", "/execs/e-5", 200, answer(exec("e-5", "FINISHED", 0, "/var/log/gitcrq/e-5.log")));

        CliRunner.Result result = cli.run(
                "exec",
                "--crq",
                "CRQ-3",
                "--session",
                "dev",
                "--pane",
                "0",
                "--user",
                "alice",
                "--no-output",
                "--",
                "list",
                "--status");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent(agent.requests().get(0), StartExecRequest.class).command())
                .isEqualTo("list --status");
    }
}
