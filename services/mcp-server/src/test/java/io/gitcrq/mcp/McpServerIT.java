package io.gitcrq.mcp;

import static io.gitcrq.mcp.OwningServicesResource.answer;
import static io.gitcrq.mcp.OwningServicesResource.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mcp-server driven by a real MCP client (the MCP Java SDK's, over Streamable HTTP at /mcp), with the owning services'
 * REST APIs played by {@link OwningServicesResource}: what is offered to whom, that each call goes to the owning
 * service with the caller's own credentials, and that the service's refusal comes back as an error result.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "mcp"))
@QuarkusTestResource(value = OwningServicesResource.class, restrictToAnnotatedClass = true)
class McpServerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Reads the agent topic as audit-collector does (ACLs apply). */
    private final TopicProbe auditCollector = KafkaBrokerTestResource.probe(TopicAccess.AUDIT_COLLECTOR);

    private static final Set<String> ALL_TOOLS = Set.of(
            "crq_list",
            "crq_show",
            "crq_create",
            "crq_submit",
            "crq_approve",
            "branch_start",
            "exec_run",
            "workflow_run",
            "workflow_show",
            "audit_timeline",
            "audit_verify",
            "merge_status",
            "repo_unlinked");

    private static final String CRQ_1 = "{\"id\":\"CRQ-1\",\"title\":\"Fix the build\",\"repo\":\"demo\","
            + "\"targetBranch\":\"main\",\"status\":\"DRAFT\",\"requester\":\"alice\"}";

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        OwningServicesResource.reset();
    }

    @Test
    void mcpNeedsAnAuthenticatedCaller() {
        McpTestClient.initialize(given()).statusCode(401).contentType("application/problem+json");
        McpTestClient.initialize(given().auth().preemptive().basic("alice", "wrong"))
                .statusCode(401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachCallerIsOfferedTheToolsTheirRolesAllow() {
        try (McpSyncClient admin = client("admin")) {
            List<McpSchema.Tool> tools = admin.listTools().tools();
            assertThat(names(tools)).isEqualTo(ALL_TOOLS);
            McpSchema.Tool create = tools.stream()
                    .filter(t -> t.name().equals("crq_create"))
                    .findFirst()
                    .orElseThrow();
            assertThat(create.description()).contains("change request");
            Map<String, Object> properties =
                    (Map<String, Object>) create.inputSchema().get("properties");
            assertThat(properties).containsOnlyKeys("title", "description", "repo", "targetBranch");
            assertThat((List<Object>) create.inputSchema().get("required")).containsExactlyInAnyOrder("title", "repo");
            assertThat(tools).allSatisfy(t -> assertThat(t.description()).isNotBlank());
        }
        try (McpSyncClient alice = client("alice")) {
            assertThat(names(alice.listTools().tools()))
                    .contains("crq_create", "crq_submit", "exec_run", "workflow_run", "audit_timeline")
                    .doesNotContain("crq_approve");
        }
        try (McpSyncClient bob = client("bob")) {
            assertThat(names(bob.listTools().tools()))
                    .contains("crq_approve", "crq_list", "audit_timeline", "merge_status")
                    .doesNotContain("crq_create", "crq_submit", "exec_run", "workflow_run");
        }
    }

    /**
     * The tools (all of them: an admin's list) are what docs/api/mcp/tools.json says: a changed name, description or
     * input schema is a reviewable diff of that file, as the services' OpenAPI documents are of theirs.
     * {@code -Dmcp-tools.write=true} rewrites the file instead of comparing.
     */
    @Test
    void theToolsAreTheCheckedInContract() throws IOException {
        Path file = Path.of("../../docs/api/mcp/tools.json").toAbsolutePath().normalize();
        ObjectMapper json = new ObjectMapper();
        ArrayNode tools = json.createArrayNode();
        try (McpSyncClient admin = client("admin")) {
            admin.listTools().tools().stream()
                    .sorted(Comparator.comparing(McpSchema.Tool::name))
                    .forEach(tool -> {
                        ObjectNode entry = tools.addObject();
                        entry.put("name", tool.name());
                        entry.put("description", tool.description());
                        entry.set("inputSchema", sortedKeys(json.valueToTree(tool.inputSchema())));
                    });
        }
        String listed = json.writerWithDefaultPrettyPrinter().writeValueAsString(tools) + "\n";
        if (Boolean.getBoolean("mcp-tools.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, listed, StandardCharsets.UTF_8);
        }
        assertThat(file).as("write it with -Dmcp-tools.write=true").exists();
        assertThat(listed)
                .as(
                        "the tools differ from %s; if the change is meant, rerun this test with -Dmcp-tools.write=true"
                                + " and review the diff",
                        file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** {@code node} with every object's fields in name order: the same text every run. */
    private static JsonNode sortedKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            new TreeMap<>(object.properties().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .forEach((name, value) -> sorted.set(name, sortedKeys(value)));
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> sorted.add(sortedKeys(element)));
            return sorted;
        }
        return node;
    }

    @Test
    void aToolCallsTheOwningServiceWithTheCallersOwnCredentials() {
        answer("POST", "/crq-service/crqs", json(201, CRQ_1));
        try (McpSyncClient alice = client("alice")) {
            McpSchema.CallToolResult result = alice.callTool(new McpSchema.CallToolRequest(
                    "crq_create", Map.of("title", "Fix the build", "description", "CI is red", "repo", "demo")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(result)).contains("\"id\" : \"CRQ-1\"");
        }
        assertThat(OwningServicesResource.RECEIVED).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/crq-service/crqs");
            assertThat(r.authorization()).isEqualTo(basic("alice"));
            assertThat(r.body())
                    .contains("\"title\":\"Fix the build\"", "\"repo\":\"demo\"", "\"description\":\"CI is red\"");
        });
    }

    /**
     * A service that cannot answer (restarting: 503) gets the same request again, under the same Idempotency-Key, so
     * it makes one CRQ whatever happened to the first try; a refusal is not repeated.
     */
    @Test
    void aCreateTheServiceCouldNotAnswerIsSentAgainUnderItsIdempotencyKey() {
        answer(
                "POST",
                "/crq-service/crqs",
                json(503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"restarting\"}"),
                json(201, CRQ_1));
        try (McpSyncClient alice = client("alice")) {
            McpSchema.CallToolResult result = alice.callTool(
                    new McpSchema.CallToolRequest("crq_create", Map.of("title", "Fix the build", "repo", "demo")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(result)).contains("\"id\" : \"CRQ-1\"");
        }
        assertThat(OwningServicesResource.RECEIVED).hasSize(2);
        OwningServicesResource.Received first = OwningServicesResource.RECEIVED.get(0);
        assertThat(first.idempotencyKey()).isNotBlank();
        assertThat(OwningServicesResource.RECEIVED.get(1))
                .as("the repeat is the same request under the same key")
                .isEqualTo(first);

        OwningServicesResource.reset();
        answer("POST", "/crq-service/crqs", json(409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"no\"}"));
        try (McpSyncClient alice = client("alice")) {
            McpSchema.CallToolResult refused = alice.callTool(
                    new McpSchema.CallToolRequest("crq_create", Map.of("title", "Fix the build", "repo", "demo")));
            assertThat(refused.isError()).isTrue();
        }
        assertThat(OwningServicesResource.RECEIVED).hasSize(1);
    }

    @Test
    void theOwningServicesRefusalIsAnErrorResultSayingWhy() {
        answer(
                "POST",
                "/crq-service/crqs/CRQ-1/approve",
                json(
                        403,
                        "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                                + "\"detail\":\"admin requested CRQ-1 and may not approve it\"}"));
        try (McpSyncClient admin = client("admin")) {
            McpSchema.CallToolResult result =
                    admin.callTool(new McpSchema.CallToolRequest("crq_approve", Map.of("id", "CRQ-1")));
            assertThat(result.isError()).isTrue();
            assertThat(text(result))
                    .isEqualTo("not permitted: crq-service answered 403: admin requested CRQ-1 and may not approve it");
        }
        assertThat(OwningServicesResource.RECEIVED)
                .singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo(basic("admin")));
    }

    @Test
    void aToolNotOfferedToTheCallerIsRefusedWithoutCallingAnyService() {
        try (McpSyncClient alice = client("alice")) {
            Throwable refused = catchThrowable(
                    () -> alice.callTool(new McpSchema.CallToolRequest("crq_approve", Map.of("id", "CRQ-1"))));
            assertThat(refused).isNotNull().hasMessageContaining("crq_approve");
        }
        assertThat(OwningServicesResource.RECEIVED).isEmpty();
        // Refused by the MCP library's filter, before any tool method: on the record all the same.
        AgentToolCalled called =
                agentToolCall(c -> c.caller().equals("alice") && c.tool().equals("crq_approve"));
        assertThat(called.outcome()).isEqualTo(AgentToolCalled.REFUSED);
        assertThat(called.detail()).contains("crq_approve is not offered to alice");
        assertThat(called.crqId()).isNull();
    }

    @Test
    void everyToolCallIsPublishedOnTheAgentTopicWithItsSecretsMasked() {
        answer(
                "POST",
                "/exec-agent/execs",
                json(
                        403,
                        "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                                + "\"detail\":\"alice may not run commands here\"}"));
        String command = "curl -H 'Authorization: Bearer abcdef0123456789' https://bob:hunter2pw@ci.example.com"
                + " && echo " + basic("alice").substring("Basic ".length());
        try (McpSyncClient alice = client("alice")) {
            McpSchema.CallToolResult result = alice.callTool(new McpSchema.CallToolRequest(
                    "exec_run", Map.of("crqId", "crq-42", "command", command, "timeoutSeconds", 5)));
            assertThat(result.isError()).isTrue();
        }
        AgentToolCalled called = agentToolCall(c -> c.tool().equals("exec_run") && "CRQ-42".equals(c.crqId()));
        assertThat(called.caller()).isEqualTo("alice");
        assertThat(called.outcome()).isEqualTo(AgentToolCalled.ERROR);
        assertThat(called.detail()).contains("not permitted", "alice may not run commands here");
        assertThat(called.arguments().path("crqId").asText()).isEqualTo("crq-42");
        assertThat(called.arguments().path("timeoutSeconds").asInt()).isEqualTo(5);
        assertThat(called.arguments().has("session")).isTrue();
        assertThat(called.arguments().path("command").asText())
                .isEqualTo("curl -H 'Authorization: Bearer ***' https://bob:***@ci.example.com && echo ***")
                .doesNotContain("abcdef0123456789", "hunter2pw");

        answer("POST", "/crq-service/crqs", json(201, CRQ_1));
        try (McpSyncClient alice = client("alice")) {
            alice.callTool(new McpSchema.CallToolRequest(
                    "crq_create", Map.of("title", "Rotate the password=s3cr3t-value", "repo", "demo")));
        }
        // crq_create names no CRQ: the record is the created CRQ's.
        AgentToolCalled created = agentToolCall(c -> c.tool().equals("crq_create")
                && "CRQ-1".equals(c.crqId())
                && c.arguments().path("title").asText().startsWith("Rotate"));
        assertThat(created.outcome()).isEqualTo(AgentToolCalled.OK);
        assertThat(created.arguments().path("title").asText()).isEqualTo("Rotate the password=***");
        assertThat(created.arguments().path("description").isNull()).isTrue();
    }

    private AgentToolCalled agentToolCall(Predicate<AgentToolCalled> which) {
        ConsumerRecord<String, String> record = auditCollector.await(
                Topics.AGENT_EVENTS,
                value -> EventCodec.dataOf(EventCodec.parse(value)) instanceof AgentToolCalled c && which.test(c),
                WAIT);
        CloudEvent envelope = EventCodec.parse(record.value());
        assertThat(envelope.source()).isEqualTo("gitcrq/mcp-server");
        AgentToolCalled called = (AgentToolCalled) EventCodec.dataOf(envelope);
        assertThat(record.key()).isEqualTo(called.partitionKey());
        return called;
    }

    @Test
    void execRunWaitsForTheEndAndAnswersExitCodeOutputTailAndExecId() {
        answer(
                "POST",
                "/exec-agent/execs",
                json(202, "{\"execId\":\"e-1\",\"status\":\"RUNNING\",\"crqId\":\"CRQ-1\"}"));
        answer(
                "GET",
                "/exec-agent/execs/e-1",
                json(200, "{\"execId\":\"e-1\",\"status\":\"RUNNING\"}"),
                json(200, "{\"execId\":\"e-1\",\"status\":\"FINISHED\",\"exitCode\":3}"));
        String cast = "{\"version\":2,\"width\":80,\"height\":24}\n"
                + "[0.1,\"o\",\"\\u001b[1mbuilding\\u001b[0m\\r\\n\"]\n"
                + "[0.2,\"o\",\"line 2\\r\\nline 3\\r\\n\"]\n"
                + "[0.3,\"i\",\"typed\"]\n"
                + "[0.4,\"o\",\"tests failed\\r\\n\"]\n";
        answer(
                "GET",
                "/exec-agent/execs/e-1/recording",
                new OwningServicesResource.Answer(200, "application/x-asciicast", cast));
        try (McpSyncClient alice = client("alice")) {
            McpSchema.CallToolResult result = alice.callTool(new McpSchema.CallToolRequest(
                    "exec_run", Map.of("crqId", "CRQ-1", "command", "make test", "tailLines", 3)));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(result))
                    .contains("\"execId\" : \"e-1\"")
                    .contains("\"status\" : \"FINISHED\"")
                    .contains("\"exitCode\" : 3")
                    .contains("\"timedOut\" : false")
                    .contains("\"outputTail\" : \"line 2\\nline 3\\ntests failed\"");
        }
        OwningServicesResource.Received start = OwningServicesResource.RECEIVED.get(0);
        assertThat(start.path()).isEqualTo("/exec-agent/execs");
        assertThat(start.authorization()).isEqualTo(basic("alice"));
        assertThat(start.body()).contains("\"command\":\"make test\"", "\"crqId\":\"CRQ-1\"", "\"session\":\"crq-1\"");
        assertThat(OwningServicesResource.RECEIVED)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(basic("alice")));
    }

    @Test
    void aCrqsTimelineIsAResource() {
        answer(
                "GET",
                "/audit-collector/audit/timeline?crq=CRQ-1",
                json(
                        200,
                        "{\"crqId\":\"CRQ-1\",\"entries\":[{\"source\":\"crq\",\"type\":\"CrqCreated\"}],"
                                + "\"page\":0,\"size\":500,\"total\":1}"));
        try (McpSyncClient bob = client("bob")) {
            assertThat(bob.listResourceTemplates().resourceTemplates())
                    .anySatisfy(t -> assertThat(t.uriTemplate()).isEqualTo("gitcrq://crqs/{id}/timeline"));
            McpSchema.ReadResourceResult read =
                    bob.readResource(new McpSchema.ReadResourceRequest("gitcrq://crqs/CRQ-1/timeline"));
            assertThat(((McpSchema.TextResourceContents) read.contents().get(0)).text())
                    .contains("CrqCreated");
        }
        assertThat(OwningServicesResource.RECEIVED)
                .singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo(basic("bob")));
    }

    private McpSyncClient client(String user) {
        return McpTestClient.connect(root, basic(user));
    }

    private static String basic(String user) {
        return McpTestClient.basic(user);
    }

    private static Set<String> names(List<McpSchema.Tool> tools) {
        return tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream()
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
