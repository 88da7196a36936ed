package io.gitcrq.apidocs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each service's OpenAPI document, generated from its classes, is the one checked in under docs/api/openapi/: a
 * change to a route or to a request/response record shows as a diff of that file. {@code -Dgitcrq.openapi.write=true}
 * rewrites the files instead of comparing.
 */
class OpenApiDocumentsTest {

    private static final Path MODULE_DIR = Path.of(System.getProperty("basedir", "."));
    private static final String VERSION = System.getProperty("gitcrq.version");
    private static final boolean WRITE = Boolean.getBoolean("gitcrq.openapi.write");

    /** Each service's document, generated once for both tests. */
    private static final Map<ServiceApi, String> GENERATED = new EnumMap<>(ServiceApi.class);

    private static final List<String> ANY_USER = List.of("requester", "approver", "admin");
    private static final List<String> AUTHENTICATED = List.of();
    private static final List<String> OPEN = null;

    /**
     * Routes each service is known to serve (docs/api/README.md), with who may call: the roles of the basic-auth
     * requirement, {@link #AUTHENTICATED} for any signed-in user, {@link #OPEN} for no requirement.
     */
    private static Map<String, List<String>> knownRoutes(ServiceApi service) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        switch (service) {
            case CRQ_SERVICE -> {
                routes.put("POST /crqs", List.of("requester", "admin"));
                routes.put("GET /crqs", ANY_USER);
                routes.put("GET /crqs/{id}", ANY_USER);
                routes.put("POST /crqs/{id}/submit", ANY_USER);
                routes.put("POST /crqs/{id}/approve", List.of("approver", "admin"));
                routes.put("POST /crqs/{id}/reject", List.of("approver", "admin"));
                routes.put("POST /crqs/{id}/cancel", ANY_USER);
                routes.put("GET /commits/{commitId}/crqs", ANY_USER);
            }
            case GIT_WATCHER -> {
                routes.put("POST /repos", ANY_USER);
                routes.put("GET /repos", ANY_USER);
                routes.put("GET /repos/{name}", ANY_USER);
                routes.put("GET /repos/{name}/policy", ANY_USER);
                routes.put("POST /repos/{name}/poll", ANY_USER);
                routes.put("POST /repos/{name}/branches", ANY_USER);
                routes.put("POST /repos/{name}/scan", ANY_USER);
                routes.put("GET /repos/{name}/scan", ANY_USER);
                routes.put("GET /repos/{name}/unlinked-commits", ANY_USER);
                routes.put("GET /violations", ANY_USER);
                routes.put("POST /webhooks/github", OPEN);
                routes.put("POST /webhooks/gitlab", OPEN);
                routes.put("POST /webhooks/gitea", OPEN);
            }
            case MERGE_BOT -> {
                routes.put("GET /merges", ANY_USER);
                routes.put("GET /repos/{repo}/merge-settings", List.of("requester", "approver", "admin", "ci"));
                routes.put("PUT /repos/{repo}/merge-settings", List.of("approver", "admin"));
                routes.put("GET /repos/{repo}/stale-branches", ANY_USER);
                routes.put("POST /checks", List.of("ci", "admin"));
                routes.put("GET /checks", List.of("requester", "approver", "admin", "ci"));
            }
            case AUDIT_COLLECTOR -> {
                routes.put("GET /audit", ANY_USER);
                routes.put("GET /audit/{eventId}", ANY_USER);
                routes.put("GET /audit/verify", ANY_USER);
                routes.put("GET /audit/timeline", ANY_USER);
                routes.put("GET /audit/export", ANY_USER);
                routes.put("POST /audit/retention", List.of("admin"));
            }
            case EXEC_AGENT -> {
                // Starting needs a role of gitcrq.exec.allowed-roles: configuration, checked in the resource.
                routes.put("POST /execs", AUTHENTICATED);
                routes.put("GET /execs", AUTHENTICATED);
                routes.put("GET /execs/{execId}", AUTHENTICATED);
                routes.put("GET /execs/{execId}/recording", AUTHENTICATED);
                routes.put("POST /launches", AUTHENTICATED);
                routes.put("GET /launches/profiles", AUTHENTICATED);
                routes.put("GET /launches/profiles/{name}", AUTHENTICATED);
                routes.put("POST /workflows", AUTHENTICATED);
                routes.put("GET /workflows", AUTHENTICATED);
                routes.put("GET /workflows/{runId}", AUTHENTICATED);
                routes.put("POST /workflows/{runId}/cancel", AUTHENTICATED);
            }
            case CONSOLE -> {
                // Pages (text/html) and the live stream of their changes (text/event-stream).
                routes.put("GET /", ANY_USER);
                routes.put("GET /crqs/{id}", ANY_USER);
                routes.put("GET /queues", ANY_USER);
                routes.put("GET /hosts/{host}", ANY_USER);
                routes.put("GET /repos/{repo}", ANY_USER);
                routes.put("GET /execs/{execId}", ANY_USER);
                routes.put("GET /execs/{execId}/recording", ANY_USER);
                routes.put("GET /events", ANY_USER);
            }
            case MCP_SERVER -> {
                // /mcp itself is the MCP extension's route, not JAX-RS: docs/api/mcp/tools.json describes it.
                routes.put("POST /crq-tokens", ANY_USER);
                routes.put("DELETE /crq-tokens/{id}", ANY_USER);
            }
        }
        return routes;
    }

    @ParameterizedTest
    @EnumSource(ServiceApi.class)
    void checkedInDocumentIsTheGeneratedOne(ServiceApi service) throws IOException {
        String generated = generated(service);
        Path file = service.document(MODULE_DIR);
        if (WRITE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertThat(file)
                .as("the OpenAPI document of %s; write it with -Dgitcrq.openapi.write=true", service.artifactId)
                .exists();
        String checkedIn = Files.readString(file, StandardCharsets.UTF_8);
        if (!checkedIn.equals(generated)) {
            fail(
                    "%s differs from what %s's classes describe now, first at %s%nIf the API change is meant, "
                            + "regenerate the documents and review their diff:%n  mvn -o -q -pl api-docs -am verify "
                            + "-Dtest=OpenApiDocumentsTest -Dsurefire.failIfNoSpecifiedTests=false "
                            + "-Dgitcrq.openapi.write=true",
                    file, service.artifactId, firstDifference(checkedIn, generated));
        }
    }

    /** Where two texts first differ: the line number and both lines. */
    private static String firstDifference(String checkedIn, String generated) {
        List<String> was = checkedIn.lines().toList();
        List<String> is = generated.lines().toList();
        int line = 0;
        while (line < was.size() && line < is.size() && was.get(line).equals(is.get(line))) {
            line++;
        }
        return String.format(
                "line %d:%n  checked in: %s%n  generated:  %s",
                line + 1,
                line < was.size() ? was.get(line) : "(end of file)",
                line < is.size() ? is.get(line) : "(end of file)");
    }

    /** The document describes the service: its known routes, who may call them, and the problem body of errors. */
    @ParameterizedTest
    @EnumSource(ServiceApi.class)
    void documentListsTheKnownRoutesWithTheirRoles(ServiceApi service) throws IOException {
        JsonNode document = new YAMLMapper().readTree(generated(service));

        assertThat(document.at("/info/title").asText()).isEqualTo("gitcrq " + service.artifactId);
        assertThat(document.at("/info/version").asText()).isEqualTo(VERSION);
        assertThat(document.has("servers"))
                .as("servers are left to the deployment")
                .isFalse();
        assertThat(document.at("/components/securitySchemes/" + OpenApiGenerator.SECURITY_SCHEME + "/scheme")
                        .asText())
                .isEqualTo("basic");
        assertThat(document.at("/components/schemas/Problem/properties").fieldNames())
                .toIterable()
                .contains("type", "title", "status", "detail");

        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(operation -> operations.put(
                                operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                                operation.getValue())));
        assertThat(operations).doesNotContainKey("GET " + ProblemSchemaAnchor.PATH);

        knownRoutes(service).forEach((route, roles) -> {
            assertThat(operations).as("%s serves %s", service.artifactId, route).containsKey(route);
            JsonNode operation = operations.get(route);
            assertThat(rolesOf(route, operation)).as("who may call %s", route).isEqualTo(roles);
        });
        operations.forEach((route, operation) -> assertThat(operation
                        .at("/responses/default/content/application~1problem+json/schema/$ref")
                        .asText())
                .as("errors of %s", route)
                .isEqualTo("#/components/schemas/Problem"));
    }

    private static synchronized String generated(ServiceApi service) {
        return GENERATED.computeIfAbsent(
                service, s -> OpenApiGenerator.generate(s.artifactId, VERSION, s.classRoots()));
    }

    /** The roles of the operation's one basic-auth requirement, or null when it is open to all. */
    private static List<String> rolesOf(String route, JsonNode operation) {
        JsonNode security = operation.get("security");
        assertThat(security)
                .as("%s's security: its resource names none of @RolesAllowed, @Authenticated, @PermitAll", route)
                .isNotNull();
        if (security.isEmpty()) {
            return null;
        }
        assertThat(security).hasSize(1);
        List<String> roles = new ArrayList<>();
        security.get(0).get(OpenApiGenerator.SECURITY_SCHEME).forEach(role -> roles.add(role.asText()));
        return roles;
    }
}
