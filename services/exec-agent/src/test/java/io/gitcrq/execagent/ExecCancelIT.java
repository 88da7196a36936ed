package io.gitcrq.execagent;

import static io.gitcrq.execagent.ExecAgentIT.as;
import static io.gitcrq.execagent.ExecAgentIT.tmux;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.cli.CliRunner;
import io.gitcrq.cli.http.Service;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.AuditEventsProbe.AuditOnTopic;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code gitcrq exec list|show|cancel} against the real agent: a {@code sleep 600} in its tmux pane really stopped by
 * a cancel, the exec ended truthfully (row, ExecFinished, audit record), who may cancel, and the agent's view of a
 * CRQ following its edits. Same test resources as {@link ExecAgentIT}, so both run on one agent.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(
        value = FreshDatabaseTestResource.class,
        initArgs = @ResourceArg(name = "prefix", value = "execagent"))
@QuarkusTestResource(TestTmuxResource.class)
class ExecCancelIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EntityManager em;

    @ConfigProperty(name = "gitcrq.exec.tmux-socket")
    String socket;

    @ConfigProperty(name = "gitcrq.exec.host")
    String host;

    /** Reads exec and audit events as audit-collector (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);
    // CRQ events are crq-service's to write.
    private final TopicProbe crqService = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);

    @Test
    void aCancelledSleepIsReallyStoppedAndItsExecEndsSayingWhoCancelledIt() throws Exception {
        crqEvent("CRQ-611", new CrqCreated("CRQ-611", "Slow", "why", "alice", "demo", "main", Instant.now()));
        String execId = as("alice")
                .body(Map.of("session", "cancel611", "pane", "slow", "command", "sleep 600", "crqId", "CRQ-611"))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        ProcessHandle sleep = sleepIn("cancel611:slow");

        // Listed and shown while it runs.
        CliRunner.Result list = gitcrq("alice", "exec", "list", "--crq", "CRQ-611", "--status", "running");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .first()
                .asString()
                .startsWith("EXEC")
                .contains("CRQ", "STATUS", "COMMAND");
        assertThat(list.out()).contains(execId, "RUNNING", "cancel611:slow", "sleep 600");
        CliRunner.Result elsewhere = gitcrq("alice", "exec", "list", "--crq", "CRQ-611", "--host", "not-" + host);
        assertThat(elsewhere.out()).isEqualTo("no execs\n");
        CliRunner.Result badStatus = gitcrq("alice", "exec", "list", "--status", "SLEEPING");
        assertThat(badStatus.exitCode()).isEqualTo(2);
        as("alice").get("/execs?status=SLEEPING").then().statusCode(400).contentType("application/problem+json");

        // Neither its requester nor an approver or admin: refused, and the command runs on.
        CliRunner.Result refused = gitcrq("dave", "exec", "cancel", execId);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("only alice, who asked for exec " + execId);
        as("dave").post("/execs/" + execId + "/cancel").then().statusCode(403).contentType("application/problem+json");
        Thread.sleep(1000);
        assertThat(sleep.isAlive()).isTrue();
        as("alice").get("/execs/" + execId).then().body("status", equalTo("RUNNING"));

        // An approver cancels it: the sleep is gone, the exec ended with the signal's exit status.
        CliRunner.Result cancel = gitcrq("bob", "exec", "cancel", execId);
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(cancel.out()).startsWith("exec " + execId + " FINISHED (cancel), exit code ");
        assertThat(cancel.out()).contains("killed: cancelled by bob");
        assertThat(sleep.isAlive()).isFalse();
        assertThat(row(execId)).containsExactly("FINISHED", "cancel", "killed: cancelled by bob");
        int exitCode = as("alice")
                .get("/execs/" + execId)
                .then()
                .body("stoppedBy", equalTo("cancel"))
                .extract()
                .path("exitCode");
        assertThat(exitCode).isNotZero();

        ConsumerRecord<String, String> finished =
                topics.await(Topics.EXEC_EVENTS, v -> v.contains("ExecFinished") && v.contains(execId), WAIT);
        JsonNode data = EventCodec.parse(finished.value()).data();
        assertThat(data.get("status").asText()).isEqualTo("FINISHED");
        assertThat(data.get("exitCode").asInt()).isEqualTo(exitCode);
        assertThat(data.get("reason").asText()).isEqualTo("killed: cancelled by bob");
        AuditOnTopic audit = audits.await(v -> v.contains(execId) && v.contains("\"kind\":\"exec\""), WAIT);
        JsonNode payload = audit.event().payload();
        assertThat(payload.get("stoppedBy").asText()).isEqualTo("cancel");
        assertThat(payload.get("reason").asText()).isEqualTo("killed: cancelled by bob");
        assertThat(payload.get("requestedBy").asText()).isEqualTo("alice");
        assertThat(payload.get("exitCode").asInt()).isEqualTo(exitCode);

        // Every request was audited, in order: dave's two refused ones (CLI, REST), then bob's cancel.
        List<JsonNode> cancels =
                audits.awaitAll(v -> v.contains("\"kind\":\"exec-cancel\"") && v.contains(execId), 3, WAIT).stream()
                        .map(a -> a.event().payload())
                        .toList();
        assertThat(cancels)
                .extracting(
                        c -> c.get("cancelledBy").asText(),
                        c -> c.get("accepted").asBoolean())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dave", false),
                        org.assertj.core.groups.Tuple.tuple("dave", false),
                        org.assertj.core.groups.Tuple.tuple("bob", true));
        assertThat(cancels.get(0).get("reason").asText()).contains("only alice, who asked for exec " + execId);
        assertThat(cancels.get(2).get("reason").isNull()).isTrue();

        CliRunner.Result show = gitcrq("alice", "exec", "show", execId);
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out())
                .startsWith("exec " + execId + " FINISHED (cancel), exit code " + exitCode + "\n")
                .contains(
                        "crq: CRQ-611",
                        "command: sleep 600",
                        "requested by: alice",
                        "reason: killed: cancelled by bob");
        JsonNode shown =
                JSON.readTree(gitcrq("alice", "--json", "exec", "show", execId).out());
        assertThat(shown.get("stoppedBy").asText()).isEqualTo("cancel");

        // Ended: a second cancel is a conflict; an unknown exec is not found.
        CliRunner.Result again = gitcrq("alice", "exec", "cancel", execId);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("has ended already");
        as("alice").post("/execs/" + execId + "/cancel").then().statusCode(409);
        as("alice").post("/execs/no-such-exec/cancel").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theRequesterMayCancelTheirOwnExec() {
        crqEvent("CRQ-612", new CrqCreated("CRQ-612", "Slow too", "why", "alice", "demo", "main", Instant.now()));
        String execId = as("alice")
                .body(Map.of("session", "cancel612", "pane", "slow", "command", "sleep 600", "crqId", "CRQ-612"))
                .post("/execs")
                .then()
                .statusCode(202)
                .extract()
                .path("execId");
        ProcessHandle sleep = sleepIn("cancel612:slow");

        as("alice")
                .post("/execs/" + execId + "/cancel")
                .then()
                .statusCode(202)
                .body("execId", equalTo(execId))
                .body("reason", equalTo("cancelled by alice"));
        await().atMost(WAIT).until(() -> !sleep.isAlive());
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + execId)
                        .then()
                        .body("status", equalTo("FINISHED"))
                        .body("stoppedBy", equalTo("cancel"))
                        .body("reason", containsString("cancelled by alice")));
        CliRunner.Result json = gitcrq("alice", "--json", "exec", "list", "--crq", "CRQ-612");
        assertThat(json.out()).contains("\"execId\" : \"" + execId + "\"", "\"stoppedBy\" : \"cancel\"");
    }

    @Test
    void theAgentsViewOfACrqFollowsItsEdits() {
        crqEvent("CRQ-613", new CrqCreated("CRQ-613", "Old title", "old", "alice", "demo", "main", Instant.now()));
        await().atMost(WAIT).until(() -> "Old title".equals(crqView("CRQ-613").get(0)));
        crqEvent("CRQ-613", new CrqEdited("CRQ-613", "New title", "new", "alice", Instant.now()));
        await().atMost(WAIT).until(() -> crqView("CRQ-613").equals(List.of("New title", "new")));
    }

    /** The {@code sleep} running in the tmux pane {@code target}, once it runs. */
    private ProcessHandle sleepIn(String target) {
        return await().atMost(WAIT)
                .until(
                        () -> {
                            String pid = tmux(socket, List.of("display-message", "-p", "-t", target, "#{pane_pid}"))
                                    .trim();
                            if (!pid.matches("\\d+")) {
                                return null;
                            }
                            return ProcessHandle.of(Long.parseLong(pid))
                                    .flatMap(pane -> pane.descendants()
                                            .filter(p -> p.info()
                                                    .command()
                                                    .orElse("")
                                                    .endsWith("/sleep"))
                                            .findFirst())
                                    .orElse(null);
                        },
                        p -> p != null);
    }

    private void crqEvent(String crqId, DomainEvent event) {
        crqService.send(Topics.CRQ_EVENTS, crqId, EventCodec.toJson(EventCodec.envelope("crq-service", event)));
    }

    @Transactional
    List<String> crqView(String crqId) {
        List<?> rows = em.createNativeQuery("SELECT title, description FROM crq_view WHERE crq_id = ?1")
                .setParameter(1, crqId)
                .getResultList();
        if (rows.isEmpty()) {
            return java.util.Arrays.asList(null, null);
        }
        Object[] row = (Object[]) rows.get(0);
        return List.of((String) row[0], (String) row[1]);
    }

    @Transactional
    List<Object> row(String execId) {
        Object[] row = (Object[])
                em.createNativeQuery("SELECT status, stopped_by, reason FROM managed_exec WHERE exec_id = ?1")
                        .setParameter(1, execId)
                        .getSingleResult();
        return List.of(row);
    }

    /** {@code gitcrq --user USER args…}, in-process, against this agent; the dev users' password is their name. */
    private static CliRunner.Result gitcrq(String user, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--user";
        all[1] = user;
        System.arraycopy(args, 0, all, 2, args.length);
        return new CliRunner()
                .env("GITCRQ_PASSWORD", user)
                .property(Service.EXEC_AGENT.systemProperty(), "http://localhost:" + RestAssured.port)
                .run(all);
    }
}
