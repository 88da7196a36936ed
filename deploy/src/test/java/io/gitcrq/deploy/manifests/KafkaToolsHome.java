package io.gitcrq.deploy.manifests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@code KAFKA_HOME} whose {@code bin/<name>} run Kafka's own main classes from this test's classpath, as the Kafka
 * image's scripts of those names do: compose's scripts run for real outside a container.
 */
final class KafkaToolsHome {

    private KafkaToolsHome() {}

    /** A new home with a {@code bin/} script per entry: script name → main class; each script becomes its JVM. */
    static Path create(Map<String, String> tools) throws IOException {
        return create(tools, false);
    }

    /**
     * A home of command-line tools that end (a script calls a dozen, each a JVM of its own): they share a class-data
     * archive of Kafka's classes, as the platform's processes do (io.gitcrq.deploy.ClassDataArchive). The first run
     * that ends well leaves it, the next ones map it. Not for a server: its script waits for the JVM instead of
     * becoming it.
     */
    static Path createForCommands(Map<String, String> tools) throws IOException {
        return create(tools, true);
    }

    private static Path create(Map<String, String> tools, boolean sharedArchive) throws IOException {
        Path home = Files.createTempDirectory("gitcrq-kafka-home-");
        Files.createDirectories(home.resolve("bin"));
        // Shared, jars only: the JVM archives no class of a class path with a directory in it, and the tools need none.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !sharedArchive || entry.endsWith(".jar"))
                .collect(Collectors.joining(File.pathSeparator));
        Path archive = home.resolve("tools.jsa");
        for (Map.Entry<String, String> tool : tools.entrySet()) {
            String main = tool.getValue();
            List<String> lines = new ArrayList<>(List.of(
                    "#!/bin/bash",
                    "java=" + quoted(Path.of(System.getProperty("java.home"), "bin", "java")),
                    "archive=" + quoted(archive),
                    "run=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m '-Xlog:cds*=off' -cp " + quoted(classPath)
                            + ")"));
            if (sharedArchive) {
                lines.addAll(List.of(
                        "if [[ -f \"$archive\" ]]; then",
                        "  exec \"$java\" -XX:SharedArchiveFile=\"$archive\" \"${run[@]}\" " + main + " \"$@\"",
                        "fi",
                        // Written whole once the JVM has exited normally: only then is it renamed into place.
                        "\"$java\" -XX:ArchiveClassesAtExit=\"$archive.$$\" \"${run[@]}\" " + main + " \"$@\"",
                        "status=$?",
                        "if [[ $status == 0 && -s \"$archive.$$\" ]]; then mv -f \"$archive.$$\" \"$archive\"; fi",
                        "rm -f \"$archive.$$\"",
                        "exit $status"));
            } else {
                lines.add("exec \"$java\" \"${run[@]}\" " + main + " \"$@\"");
            }
            Path script = home.resolve("bin").resolve(tool.getKey());
            Files.writeString(script, String.join("\n", lines) + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        return home;
    }

    private static String quoted(Object value) {
        return "'" + value.toString().replace("'", "'\\''") + "'";
    }
}
