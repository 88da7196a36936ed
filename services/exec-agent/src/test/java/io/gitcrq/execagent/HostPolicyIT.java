package io.gitcrq.execagent;

import static io.gitcrq.execagent.ExecAgentIT.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.kafka.AuditEventsProbe;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host policy against what an attacker tried, on a real broker, database and tmux server: an agent that allows a
 * few programs, denies {@code rm} and allows no shell ({@link StrictPolicyTestResource}). Each bypass that once ran is
 * refused by REST and by Kafka, audited as {@code exec-refused}, and never runs: the file it would have made is not
 * there, the file it would have removed still is, and no pane was made for it.
 */
@QuarkusTest
@TestProfile(StrictPolicyTestResource.Profile.class)
class HostPolicyIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "gitcrq.exec.tmux-socket")
    String socket;

    @ConfigProperty(name = "gitcrq.exec.host")
    String host;

    /** Reads the audit trail as audit-collector does (ACLs apply). */
    private final TopicProbe topics = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);
    /** The audit topic's events, one by one (a host publishes them in signed batches). */
    private final AuditEventsProbe audits = new AuditEventsProbe(topics);

    /** No service publishes exec requests: the operator does, as exec-agent's own tests do. */
    private final TopicProbe operator = KafkaBrokerTestResource.probe(BrokerCredentials.ADMIN);

    /** {@code MARK} stands for a file that a bypass would create; {@code VICTIM} for one it would remove. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "ls; touch MARK",
                "ls $(touch MARK)",
                "false || touch MARK",
                "ls `touch MARK`",
                "true && touch MARK",
                "echo x > MARK",
                "r'm' VICTIM",
                "r\\m VICTIM",
                "\"rm\" -f VICTIM",
                "/bin/rm VICTIM",
                "env rm VICTIM",
                "bash -c 'touch MARK'",
                "sh -c 'touch MARK'"
            })
    void eachBypassOverRestIsRefusedAuditedAndNeverRuns(String attempt) throws Exception {
        Path dir = Files.createTempDirectory("host-policy-");
        Path mark = dir.resolve("mark");
        Path victim = Files.writeString(dir.resolve("victim"), "still here");
        String command = attempt.replace("MARK", mark.toString()).replace("VICTIM", victim.toString());
        String crq = "CRQ-" + (1000 + Math.abs(attempt.hashCode() % 8000));
        String session = "pol" + Math.abs(attempt.hashCode() % 100000);
        crqs.open(crq);

        as("alice")
                .body(Map.of("session", session, "pane", "p", "command", command, "crqId", crq, "cwd", dir.toString()))
                .post("/execs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("policy"));

        JsonNode refused = refusal(crq, command);
        assertThat(refused.at("/payload/requestedBy").asText()).isEqualTo("alice");
        assertThat(refused.at("/payload/reason").asText()).contains("policy");
        as("alice")
                .get("/execs?crq=" + crq)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.hasItem("FAILED"))
                .body("reason", org.hamcrest.Matchers.hasItem(containsString("refused")));
        assertThat(mark).doesNotExist();
        assertThat(victim).hasContent("still here");
        assertThat(ExecAgentIT.tmux(socket, List.of("list-sessions", "-F", "#{session_name}"))
                        .lines())
                .doesNotContain(session);
    }

    @Inject
    TestCrqs crqs;

    /** The CRQs these tests run commands for, created as crq-service creates them: commands run only for those. */
    @BeforeEach
    void crqsAnnounced() {
        crqs.open("CRQ-61", "CRQ-62", "CRQ-63", "CRQ-64");
    }

    @Test
    void aDirectoryNamedOutsideTheAllowedOnesIsRefusedByRestAndKafkaAndAudited() throws Exception {
        crqs.open("CRQ-65");
        Path dir = Files.createTempDirectory("host-policy-dirs-");
        // Named by REST: 403, audited, nothing run.
        String command = "touch " + dir.resolve("made-in-etc");
        as("alice")
                .body(Map.of("session", "dirs65", "pane", "p", "command", command, "crqId", "CRQ-65", "cwd", "/etc"))
                .post("/execs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("allowed-dirs"));
        assertThat(refusal("CRQ-65", command).at("/payload/reason").asText()).contains("not in /etc");
        // Named by Kafka: refused the same way; one in an allowed directory runs.
        String refusedId = "kafka-" + UUID.randomUUID();
        String allowedId = "kafka-" + UUID.randomUUID();
        String kafkaCommand = "touch " + dir.resolve("by-kafka");
        operator.send(Topics.EXEC_REQUESTS, host, request(refusedId, kafkaCommand, Path.of("/"), "CRQ-65"));
        operator.send(Topics.EXEC_REQUESTS, host, request(allowedId, "touch here", dir, "CRQ-65"));
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + allowedId)
                        .then()
                        .body("status", equalTo("FINISHED"))
                        .body("exitCode", equalTo(0)));
        as("alice")
                .get("/execs/" + refusedId)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("allowed-dirs"));
        assertThat(dir.resolve("here")).exists();
        assertThat(dir.resolve("made-in-etc")).doesNotExist();
        assertThat(dir.resolve("by-kafka")).doesNotExist();
    }

    @Test
    void aBypassSentByKafkaIsRefusedAuditedAndNeverRunsWhileAnAllowedArgumentVectorRuns() throws Exception {
        Path dir = Files.createTempDirectory("host-policy-kafka-");
        Path mark = dir.resolve("mark");
        String refusedId = "kafka-" + UUID.randomUUID();
        String allowedId = "kafka-" + UUID.randomUUID();
        operator.send(Topics.EXEC_REQUESTS, host, request(refusedId, "false || touch " + mark, dir, "CRQ-61"));
        operator.send(
                Topics.EXEC_REQUESTS, host, request(allowedId, "touch '" + dir.resolve("a b") + "'", dir, "CRQ-62"));

        JsonNode refused = refusal("CRQ-61", "false || touch " + mark);
        assertThat(refused.at("/payload/execId").asText()).isEqualTo(refusedId);
        assertThat(refused.at("/payload/reason").asText()).contains("shell line");
        await().atMost(WAIT)
                .untilAsserted(() -> as("alice")
                        .get("/execs/" + allowedId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FINISHED"))
                        .body("exitCode", equalTo(0)));
        // The argument vector ran as checked: one file, named with its space, made by touch.
        assertThat(dir.resolve("a b")).exists();
        as("alice")
                .get("/execs/" + refusedId)
                .then()
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("reason", containsString("refused"));
        assertThat(mark).doesNotExist();
    }

    @Test
    void aWorkflowStepRunsOnlyWithAnAllowedShellSoMakeCannotHideItsScript() throws Exception {
        Path mark = Files.createTempDirectory("host-policy-wf-").resolve("mark");
        String runId = as("alice")
                .body(Map.of("crq", "CRQ-63", "workflow", """
                        jobs:
                          hide:
                            steps:
                              - shell: make -f {0}
                                run: |
                                  all:
                                  \ttouch %s
                        """.formatted(mark)))
                .post("/workflows")
                .then()
                .statusCode(202)
                .extract()
                .path("runId");
        ExecAgentIT.awaitWorkflow(runId, WAIT);
        as("alice").get("/workflows/" + runId).then().body("status", equalTo("FAILURE"));
        JsonNode refused = audits.await(v -> v.contains("exec-refused") && v.contains("CRQ-63"), WAIT)
                .data();
        assertThat(refused.at("/payload/reason").asText()).contains("'make'").contains("as a shell");
        assertThat(mark).doesNotExist();
    }

    @Test
    void aWorkflowPathOutsideTheRootsIsRefusedAndNoErrorQuotesAFile() throws Exception {
        Path root = TestTmuxResource.WORKFLOW_ROOT;
        Path inside = Files.createTempDirectory(root, "ws-");
        Path outside = Files.createTempDirectory("host-policy-outside-");
        String secret = "s3cret-" + UUID.randomUUID();
        Files.writeString(outside.resolve("secret.yml"), secret + ": [\n");
        Files.createSymbolicLink(inside.resolve("link.yml"), outside.resolve("secret.yml"));
        Files.createSymbolicLink(inside.resolve("linked-dir"), outside);
        for (Map<String, String> body : List.of(
                Map.of("crq", "CRQ-64", "path", "/etc/shadow"),
                Map.of("crq", "CRQ-64", "path", "/etc/passwd"),
                Map.of("crq", "CRQ-64", "path", outside.resolve("secret.yml").toString()),
                Map.of("crq", "CRQ-64", "path", inside + "/../../../etc/passwd"),
                Map.of("crq", "CRQ-64", "path", "../../../../../../etc/passwd", "workspace", inside.toString()),
                Map.of("crq", "CRQ-64", "path", "link.yml", "workspace", inside.toString()),
                Map.of("crq", "CRQ-64", "path", "linked-dir/secret.yml", "workspace", inside.toString()))) {
            Response response = as("alice").body(body).post("/workflows");
            assertThat(response.statusCode()).as(body.toString()).isEqualTo(403);
            assertThat(response.contentType()).startsWith("application/problem+json");
            String answer = response.asString();
            assertThat(answer).contains("outside the directories").doesNotContain(secret, "root:");
            for (String file : List.of("/etc/passwd", "/etc/shadow")) {
                if (Files.isReadable(Path.of(file))) {
                    String first = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)
                            .get(0);
                    assertThat(answer).doesNotContain(first);
                }
            }
        }
        // Inside the roots, a file that is no workflow is named with its line, never quoted.
        Files.writeString(inside.resolve("bad.yml"), secret + ": [\n");
        as("alice")
                .body(Map.of("crq", "CRQ-64", "path", inside.resolve("bad.yml").toString()))
                .post("/workflows")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not a valid workflow"))
                .body(not(containsString(secret)));
    }

    private JsonNode refusal(String crq, String command) {
        return audits.await(
                        v -> v.contains("exec-refused")
                                && v.contains(crq)
                                && tree(v).at("/payload/command").asText().equals(command),
                        WAIT)
                .data();
    }

    private static JsonNode tree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String request(String execId, String command, Path cwd, String crq) {
        return EventCodec.toJson(EventCodec.envelope(
                "test",
                TestGrants.granted(new ExecRequested(
                        execId,
                        host,
                        "kafka61",
                        execId.substring(0, 12),
                        command,
                        crq,
                        "main",
                        cwd.toString(),
                        "alice"))));
    }
}
