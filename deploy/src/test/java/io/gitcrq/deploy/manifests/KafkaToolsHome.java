package io.gitcrq.deploy.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A {@code KAFKA_HOME} whose {@code bin/<name>} run Kafka's own main classes from this test's classpath, as the Kafka
 * image's scripts of those names do: compose's scripts run for real outside a container.
 */
final class KafkaToolsHome {

    private KafkaToolsHome() {}

    /** A new home with a {@code bin/} script per entry: script name → main class. */
    static Path create(Map<String, String> tools) throws IOException {
        Path home = Files.createTempDirectory("gitcrq-kafka-home-");
        Files.createDirectories(home.resolve("bin"));
        for (Map.Entry<String, String> tool : tools.entrySet()) {
            Path script = home.resolve("bin").resolve(tool.getKey());
            Files.writeString(
                    script,
                    "#!/bin/bash\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
                            + "\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx384m -cp \""
                            + System.getProperty("java.class.path") + "\" " + tool.getValue() + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        return home;
    }
}
