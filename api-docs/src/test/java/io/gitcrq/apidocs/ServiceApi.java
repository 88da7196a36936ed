package io.gitcrq.apidocs;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The services whose REST APIs are documented, and where their classes are on this test's classpath. */
enum ServiceApi {
    CRQ_SERVICE("crq-service"),
    GIT_WATCHER("git-watcher"),
    MERGE_BOT("merge-bot"),
    AUDIT_COLLECTOR("audit-collector"),
    EXEC_AGENT("exec-agent"),
    CONSOLE("console"),
    MCP_SERVER("mcp-server");

    final String artifactId;

    ServiceApi(String artifactId) {
        this.artifactId = artifactId;
    }

    /** The service's classes, then the shared classes its REST API is made of. */
    List<Path> classRoots() {
        return List.of(classRoot(artifactId), classRoot("shared-model"), classRoot("service-kit"));
    }

    /** docs/api/openapi/&lt;service&gt;.yaml under the repository root (this module's parent). */
    Path document(Path moduleDir) {
        return moduleDir.toAbsolutePath().getParent().resolve("docs/api/openapi/" + artifactId + ".yaml");
    }

    /**
     * A module's jar when the reactor packaged it (verify), its class directory when it only compiled (test), or
     * the jar from the local repository.
     */
    private static Path classRoot(String artifactId) {
        List<Path> matches = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(entry -> isArtifact(entry, artifactId))
                .toList();
        if (matches.size() != 1) {
            throw new IllegalStateException("expected one classpath entry for " + artifactId + ", found " + matches
                    + " in " + System.getProperty("java.class.path"));
        }
        return matches.get(0);
    }

    private static boolean isArtifact(Path entry, String artifactId) {
        String name = entry.getFileName().toString();
        if (name.equals("classes")
                && entry.getParent() != null
                && entry.getParent().getParent() != null) {
            return entry.getParent().getParent().getFileName().toString().equals(artifactId);
        }
        return name.startsWith(artifactId + "-")
                && name.endsWith(".jar")
                && name.substring(artifactId.length() + 1).matches("\\d.*");
    }
}
