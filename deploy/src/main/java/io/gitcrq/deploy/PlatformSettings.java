package io.gitcrq.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one running platform lives: the repository it runs from, its run directory (logs, Kafka data, exec
 * logs, pid file), its ports and the prefix of its databases. {@code ./gitcrq up} uses {@link #local}; the
 * end-to-end test uses its own ports and databases so it never touches a developer's platform.
 */
public record PlatformSettings(
        Path repoRoot,
        Path runDir,
        int kafkaPort,
        int firstServicePort,
        String databasePrefix,
        String tmuxSocket,
        Map<String, String> extraProperties) {

    public static PlatformSettings local(Path repoRoot) {
        return new PlatformSettings(repoRoot, repoRoot.resolve(".gitcrq-run"), 9092, 8081, "", "gitcrq", Map.of());
    }

    public Path logDir() {
        return runDir.resolve("logs");
    }
}
