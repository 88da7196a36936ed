package io.gitcrq.mcp;

import static io.gitcrq.mcp.OwningServicesResource.answer;
import static io.gitcrq.mcp.OwningServicesResource.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kit.testing.FreshDatabaseTestResource;
import io.gitcrq.mcp.domain.CrqToken;
import io.gitcrq.mcp.repository.CrqTokenRepository;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRQ-scoped tokens: made by a person for a CRQ they can see, they let an agent act through MCP as that person on that
 * CRQ alone (the owning services still get the person's own credentials), and never again once expired or revoked.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = FreshDatabaseTestResource.class, initArgs = @ResourceArg(name = "prefix", value = "mcp"))
@QuarkusTestResource(value = OwningServicesResource.class, restrictToAnnotatedClass = true)
class CrqTokensIT {

    private static final String CRQ_1 = "{\"id\":\"CRQ-1\",\"title\":\"Fix the build\",\"repo\":\"demo\","
            + "\"targetBranch\":\"main\",\"status\":\"SUBMITTED\",\"requester\":\"alice\"}";

    @TestHTTPResource("/")
    URL root;

    @Inject
    CrqTokenRepository tokens;

    @BeforeEach
    void reset() {
        OwningServicesResource.reset();
        answer("GET", "/crq-service/crqs/CRQ-1", json(200, CRQ_1));
    }

    @Test
    void aTokenActsAsItsMakerOnItsCrqAlone() {
        Response made = make("alice", "{\"crqId\":\"crq-1\",\"validForMinutes\":30}");
        made.then().statusCode(201).header("Cache-Control", "no-store");
        String token = made.path("token");
        assertThat(token).startsWith("gcqt_").hasSizeGreaterThan(40);
        assertThat((String) made.path("crqId")).isEqualTo("CRQ-1");
        assertThat((String) made.path("user")).isEqualTo("alice");
        assertThat(Instant.parse(made.path("expiresAt")))
                .isBetween(Instant.now().plusSeconds(25 * 60), Instant.now().plusSeconds(31 * 60));
        OwningServicesResource.reset();
        answer("GET", "/crq-service/crqs/CRQ-1", json(200, CRQ_1));

        try (McpSyncClient agent = client("Bearer " + token)) {
            // alice's tools (a requester), those for one CRQ only: no crq_list, crq_create, audit_verify,
            // repo_unlinked.
            assertThat(agent.listTools().tools().stream()
                            .map(McpSchema.Tool::name)
                            .collect(Collectors.toSet()))
                    .isEqualTo(Set.of(
                            "crq_show",
                            "crq_submit",
                            "branch_start",
                            "exec_run",
                            "workflow_run",
                            "workflow_show",
                            "audit_timeline",
                            "merge_status"));

            McpSchema.CallToolResult shown =
                    agent.callTool(new McpSchema.CallToolRequest("crq_show", Map.of("id", "CRQ-1")));
            assertThat(shown.isError()).isNotEqualTo(Boolean.TRUE);

            McpSchema.CallToolResult other =
                    agent.callTool(new McpSchema.CallToolRequest("crq_show", Map.of("id", "CRQ-2")));
            assertThat(other.isError()).isTrue();
            assertThat(text(other)).contains("this token is for CRQ-1 only, not CRQ-2");

            McpSchema.CallToolResult exec = agent.callTool(new McpSchema.CallToolRequest(
                    "exec_run", Map.of("crqId", "CRQ-2", "command", "touch /tmp/elsewhere")));
            assertThat(exec.isError()).isTrue();

            Throwable create = catchThrowable(() -> agent.callTool(new McpSchema.CallToolRequest(
                    "crq_create", Map.of("title", "more", "description", "x", "repo", "demo"))));
            assertThat(create).as("crq_create, not offered").isNotNull().hasMessageContaining("crq_create");
        }
        // The owning service saw alice's own credentials, for CRQ-1, and nothing for CRQ-2.
        assertThat(OwningServicesResource.RECEIVED).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/crq-service/crqs/CRQ-1");
            assertThat(r.authorization()).isEqualTo(basic("alice"));
        });
    }

    @Test
    void aTokenIsMadeOnlyForACrqTheMakerCanSeeAndNeverByAToken() {
        make("alice", "{\"crqId\":\"CRQ-9\"}").then().statusCode(404).contentType("application/problem+json");
        make("alice", "{\"crqId\":\"nine\"}").then().statusCode(400).contentType("application/problem+json");
        make("alice", "{\"crqId\":\"CRQ-1\",\"validForMinutes\":100000}").then().statusCode(400);

        String token = make("alice", "{\"crqId\":\"CRQ-1\"}").path("token");
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("{\"crqId\":\"CRQ-1\"}")
                .post("/crq-tokens")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void anUnknownExpiredOrRevokedTokenIsRefused() {
        assertUnauthenticated("gcqt_" + "A".repeat(43));

        Response made = make("alice", "{\"crqId\":\"CRQ-1\"}");
        String expiring = made.path("token");
        QuarkusTransaction.requiringNew().run(() -> {
            CrqToken row = tokens.findById(UUID.fromString(made.path("id")));
            row.expiresAt = Instant.now().minusSeconds(1);
        });
        assertUnauthenticated(expiring);

        Response other = make("alice", "{\"crqId\":\"CRQ-1\"}");
        String revoked = other.path("token");
        String id = other.path("id");
        given().auth()
                .preemptive()
                .basic("bob", "bob")
                .delete("/crq-tokens/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .preemptive()
                .basic("alice", "alice")
                .delete("/crq-tokens/" + id)
                .then()
                .statusCode(204);
        assertUnauthenticated(revoked);
        // The database holds no token, only hashes, and the maker's credential sealed.
        QuarkusTransaction.requiringNew()
                .run(() -> assertThat(tokens.listAll())
                        .allSatisfy(row -> assertThat(row.credential)
                                .startsWith("aes256gcm:v1:")
                                .doesNotContain(basic("alice").substring("Basic ".length()))));
    }

    private void assertUnauthenticated(String token) {
        McpTestClient.initialize(given().header("Authorization", "Bearer " + token))
                .statusCode(401);
    }

    private static Response make(String user, String body) {
        return given().auth()
                .preemptive()
                .basic(user, user)
                .contentType("application/json")
                .body(body)
                .post("/crq-tokens");
    }

    private McpSyncClient client(String authorization) {
        return McpTestClient.connect(root, authorization);
    }

    private static String basic(String user) {
        return McpTestClient.basic(user);
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream()
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
