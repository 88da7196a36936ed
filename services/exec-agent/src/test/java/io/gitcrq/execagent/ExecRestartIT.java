package io.gitcrq.execagent;

import static io.gitcrq.execagent.ExecAgentIT.as;
import static io.gitcrq.execagent.ExecAgentIT.tmux;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.gitcrq.execagent.service.ExecRecovery;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restart of exec-agent, simulated: rows and panes are left as a previous run of the agent left them (a @QuarkusTest
 * cannot kill itself), then the recovery it runs at start is run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
class ExecRestartIT {

    static final Duration WAIT = ExecAgentIT.WAIT;

    @Inject
    EntityManager em;

    @Inject
    ExecRecovery recovery;

    @ConfigProperty(name = "gitcrq.exec.tmux-socket")
    String socket;

    @ConfigProperty(name = "gitcrq.exec.host")
    String host;

    @ConfigProperty(name = "gitcrq.exec.log-dir")
    String logDir;

    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);

    @Inject
    TestCrqs crqs;

    /** The CRQs these tests run commands for, created as crq-service creates them: commands run only for those. */
    @BeforeEach
    void crqsAnnounced() {
        crqs.open("CRQ-10");
    }

    @Test
    void anExecAcceptedButNeverStartedEndsAsNotStartedWithItsExecFinished() {
        String execId = "accepted-" + UUID.randomUUID();
        insertRunning(execId, "reboot", "never", null);

        recovery.recover();

        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", equalTo("not started: agent restarted"))
                .body("exitCode", nullValue());
        topics.await(
                Topics.EXEC_EVENTS,
                v -> v.contains("ExecFinished")
                        && v.contains(execId)
                        && v.contains("\"status\":\"FAILED\"")
                        && v.contains("\"reason\":\"not started: agent restarted\""),
                WAIT);
        // Nothing was started for it.
        assertThat(tmux(socket, List.of("list-windows", "-a", "-F", "#{window_name}")))
                .doesNotContain("never");
    }

    @Test
    void anExecStartedByTheAgentIsMarkedLaunched() {
        String execId = as("alice")
                .body(Map.of("session", "reboot", "pane", "marked", "command", "true", "crqId", "CRQ-10"))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        await().atMost(WAIT).untilAsserted(() -> assertThat(launchedAt(execId)).isNotNull());
    }

    @Test
    void aCommandStillRunningInItsPaneAcrossARestartKeepsItAndEndsWithItsRealExitCode() throws Exception {
        String execId = "survivor-" + UUID.randomUUID();
        Path release = Path.of(logDir, execId + ".release");
        // Started as the previous run of the agent started it: its wrapper in its own pane.
        ManagedCommand command = ManagedCommand.in(Path.of(logDir), execId);
        List<String> program = command.prepare(
                "echo survived; while [ ! -e '" + release + "' ]; do sleep 0.1; done; exit 7",
                Path.of("/tmp"),
                "CRQ-10",
                false);
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", "survive", "-n", "work"));
        start.addAll(program);
        tmux(socket, start);
        insertRunning(execId, "survive", "work", Instant.now());
        await().atMost(WAIT).until(() -> Files.exists(command.pidFile()));

        recovery.recover();

        // Not failed, and its pane is still its: a new exec for it is refused as before the restart.
        Thread.sleep(1500);
        as("alice").get("/execs/" + execId).then().body("status", equalTo("RUNNING"));
        as("alice")
                .body(Map.of("session", "survive", "pane", "work", "command", "true", "crqId", "CRQ-10"))
                .post("/execs")
                .then()
                .statusCode(409)
                .body("detail", containsString(execId));
        recovery.recover(); // a second recovery leaves the watched command alone
        as("alice").get("/execs/" + execId).then().body("status", equalTo("RUNNING"));

        Files.createFile(release);
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .body("status", equalTo("FINISHED"))
                        .body("exitCode", equalTo(7)));
        topics.await(
                Topics.EXEC_EVENTS,
                v -> v.contains(execId) && v.contains("\"exitCode\":7") && v.contains("\"status\":\"FINISHED\""),
                WAIT);
        assertThat(Files.readString(command.logFile())).contains("survived");
    }

    @Test
    void aCommandWatchedAgainIsStillKilledWhenItsTimeoutComes() throws Exception {
        String execId = "overdue-" + UUID.randomUUID();
        ManagedCommand command = ManagedCommand.in(Path.of(logDir), execId);
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", "overdue", "-n", "step"));
        start.addAll(command.prepare("sleep 120", Path.of("/tmp"), "CRQ-10", false));
        tmux(socket, start);
        // Launched 5 s ago with a timeout of 2 s: overdue by the time the agent is back.
        insertRunning(execId, "overdue", "step", Instant.now().minusSeconds(5));
        setTimeout(execId, 2000);
        await().atMost(WAIT).until(() -> Files.exists(command.pidFile()));

        recovery.recover();

        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .body("status", equalTo("FINISHED"))
                        .body("stoppedBy", equalTo("timeout")));
    }

    @Transactional
    void setTimeout(String execId, long millis) {
        em.createNativeQuery("UPDATE managed_exec SET timeout_ms = ?1 WHERE exec_id = ?2")
                .setParameter(1, millis)
                .setParameter(2, execId)
                .executeUpdate();
    }

    @Test
    void aCommandWhosePaneRunsSomethingElseIsNotTakenForRunning() {
        String execId = "replaced-" + UUID.randomUUID();
        // The pane is there, but not running this exec's wrapper (someone respawned it by hand).
        tmux(socket, List.of("new-session", "-d", "-s", "elsewhere", "-n", "busy", "sleep", "60"));
        insertRunning(execId, "elsewhere", "busy", Instant.now());

        recovery.recover();

        as("alice")
                .get("/execs/" + execId)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("pane no longer runs it"));
        topics.await(Topics.EXEC_EVENTS, v -> v.contains(execId) && v.contains("\"status\":\"FAILED\""), WAIT);
    }

    /** A row as a previous run of the agent left it; {@code launchedAt} null: accepted, never handed to tmux. */
    @Transactional
    void insertRunning(String execId, String session, String pane, Instant launchedAt) {
        em.createNativeQuery("""
                        INSERT INTO managed_exec (exec_id, host, session, pane, command, crq_id, cwd, requested_by,
                            status, log_path, started_at, launched_at)
                        VALUES (?1, ?2, ?3, ?4, 'make', 'CRQ-10', '/tmp', 'alice', 'RUNNING', ?5, ?6, %s)""".formatted(launchedAt == null ? "NULL" : "?6"))
                .setParameter(1, execId)
                .setParameter(2, host)
                .setParameter(3, session)
                .setParameter(4, pane)
                .setParameter(5, Path.of(logDir, execId + ".log").toString())
                .setParameter(6, launchedAt == null ? Instant.now() : launchedAt)
                .executeUpdate();
    }

    @Transactional
    Object launchedAt(String execId) {
        return em.createNativeQuery("SELECT launched_at FROM managed_exec WHERE exec_id = ?1")
                .setParameter(1, execId)
                .getSingleResult();
    }
}
