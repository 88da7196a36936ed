package io.gitcrq.apidocs;

import io.gitcrq.kit.rest.Problem;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;

/**
 * Builds a service's OpenAPI document the way SmallRye OpenAPI (what Quarkus' extension runs) would: its annotation
 * scanner over a Jandex index of the service's classes, shared-model and service-kit. Two things the extension would
 * add are added here: the basic-authentication scheme with each operation's roles, and the problem body every error
 * answers with.
 */
final class OpenApiGenerator {

    static final String SECURITY_SCHEME = "basicAuth";

    private static final DotName ROLES_ALLOWED = DotName.createSimple("jakarta.annotation.security.RolesAllowed");
    private static final DotName PERMIT_ALL = DotName.createSimple("jakarta.annotation.security.PermitAll");
    private static final DotName DENY_ALL = DotName.createSimple("jakarta.annotation.security.DenyAll");
    private static final DotName AUTHENTICATED = DotName.createSimple("io.quarkus.security.Authenticated");
    private static final List<DotName> SECURITY_ANNOTATIONS =
            List.of(ROLES_ALLOWED, PERMIT_ALL, DENY_ALL, AUTHENTICATED);

    private OpenApiGenerator() {}

    /** The document as YAML, for the service whose classes are in {@code roots} (jars or class directories). */
    static String generate(String service, String version, List<Path> roots) {
        SmallRyeOpenAPI openApi = SmallRyeOpenAPI.builder()
                .withConfig(new SmallRyeConfigBuilder()
                        .withDefaultValues(Map.of(
                                "mp.openapi.extensions.smallrye.info.title",
                                "gitcrq " + service,
                                "mp.openapi.extensions.smallrye.info.version",
                                version,
                                // ResourceClass_method: stable, unique within a service, and what a client names.
                                // quarkus-rest-jackson reads and writes JSON where a resource names no media type.
                                "mp.openapi.extensions.smallrye.defaultConsumes",
                                "application/json",
                                "mp.openapi.extensions.smallrye.defaultProduces",
                                "application/json",
                                "mp.openapi.extensions.smallrye.operationIdStrategy",
                                "CLASS_METHOD",
                                // A JsonNode is Iterable, which the scanner would describe as an array.
                                "mp.openapi.schema.com.fasterxml.jackson.databind.JsonNode",
                                "{\"name\": \"JsonValue\", \"description\": \"Any JSON value\"}",
                                // The console's pages and its live stream are text, not the objects that build them.
                                "mp.openapi.schema.io.quarkus.qute.TemplateInstance",
                                "{\"name\": \"HtmlPage\", \"type\": \"string\", \"description\": \"An HTML page\"}",
                                "mp.openapi.schema.jakarta.ws.rs.sse.OutboundSseEvent",
                                "{\"name\": \"ServerSentEvents\", \"type\": \"string\", \"description\":"
                                        + " \"A stream of server-sent events (text/event-stream)\"}",
                                // Those configured schemas are registered in every document; keep them where used.
                                "mp.openapi.extensions.smallrye.remove-unused-schemas.enable",
                                "true",
                                "mp.openapi.extensions.smallrye.duplicateOperationIdBehavior",
                                "FAIL"))
                        .build())
                .withApplicationClassLoader(OpenApiGenerator.class.getClassLoader())
                // Only what the scanner finds in the index: no META-INF/openapi.* file, reader or filter from the
                // classpath.
                .enableModelReader(false)
                .enableStandardStaticFiles(false)
                .enableStandardFilter(false)
                .withInitialModel(OASFactory.createOpenAPI()
                        .components(OASFactory.createComponents()
                                .addSecurityScheme(
                                        SECURITY_SCHEME,
                                        OASFactory.createSecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("basic"))))
                .withIndex(index(roots))
                .withOperationHandler(OpenApiGenerator::addSecurity)
                .addFilter(new ProblemResponses())
                .build();
        return CanonicalYaml.of(openApi.toJSON());
    }

    /**
     * Quarkus' basic authentication enforces these annotations; SmallRye's scanner maps roles only onto OAuth scopes,
     * so the requirement is written here: the roles that may call (empty: any authenticated user), or no requirement
     * for a route open to all.
     */
    private static void addSecurity(Operation operation, ClassInfo resource, MethodInfo method) {
        AnnotationInstance annotation = securityAnnotation(method);
        if (annotation == null) {
            annotation = securityAnnotation(resource);
        }
        if (annotation == null) {
            return;
        }
        DotName name = annotation.name();
        if (name.equals(PERMIT_ALL)) {
            operation.setSecurity(new ArrayList<>());
        } else if (name.equals(ROLES_ALLOWED)) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement()
                    .addScheme(SECURITY_SCHEME, List.of(annotation.value().asStringArray())));
        } else if (name.equals(AUTHENTICATED)) {
            operation.addSecurityRequirement(
                    OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME, List.of()));
        } else {
            // No route is closed to all today; when one is, decide how the document shows it.
            throw new IllegalStateException(resource.name() + "." + method.name() + " is @DenyAll: describe it");
        }
    }

    private static AnnotationInstance securityAnnotation(MethodInfo method) {
        return SECURITY_ANNOTATIONS.stream()
                .map(method::declaredAnnotation)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private static AnnotationInstance securityAnnotation(ClassInfo resource) {
        return SECURITY_ANNOTATIONS.stream()
                .map(resource::declaredAnnotation)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /**
     * Every error is an RFC 9457 problem body (service-kit's ProblemMappers), whatever the status: one default
     * response per operation says so. Also drops the anchor that brought the Problem schema into the document.
     */
    static final class ProblemResponses implements OASFilter {
        @Override
        public void filterOpenAPI(OpenAPI openApi) {
            openApi.getPaths().removePathItem(ProblemSchemaAnchor.PATH);
            for (PathItem item : openApi.getPaths().getPathItems().values()) {
                for (Operation operation : item.getOperations().values()) {
                    operation
                            .getResponses()
                            .setDefaultValue(OASFactory.createAPIResponse()
                                    .description("An error: an RFC 9457 problem body")
                                    .content(OASFactory.createContent()
                                            .addMediaType(
                                                    Problem.MEDIA_TYPE,
                                                    OASFactory.createMediaType()
                                                            .schema(OASFactory.createSchema()
                                                                    .ref(Problem.class.getSimpleName())))));
                }
            }
        }
    }

    private static Index index(List<Path> roots) {
        Indexer indexer = new Indexer();
        try {
            indexer.indexClass(ProblemSchemaAnchor.class);
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path file : files.filter(f -> f.toString().endsWith(".class"))
                                .sorted()
                                .toList()) {
                            try (InputStream in = Files.newInputStream(file)) {
                                indexer.index(in);
                            }
                        }
                    }
                } else {
                    try (JarFile jar = new JarFile(root.toFile())) {
                        for (var entry : jar.stream()
                                .filter(e -> e.getName().endsWith(".class"))
                                .sorted(Comparator.comparing(JarEntry::getName))
                                .toList()) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                indexer.index(in);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return indexer.complete();
    }
}
