package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N instances of each consumer-group service on ports of their own; one instance as before; one exec-agent. */
class PlatformInstancesTest {

    @TempDir
    Path dir;

    private PlatformSettings settings(int instances) {
        return new PlatformSettings(dir, dir.resolve("run"), 9092, 8081, "", "gitcrq-instances-test", Map.of())
                .withInstances(instances);
    }

    @Test
    void oneInstanceKeepsTheNamesAndPortsOfOldAndMoreGetPortsOfTheirOwnForTheServicesThatScale() {
        Platform one = new Platform(settings(1));
        assertThat(one.instances())
                .containsExactly(
                        "crq-service",
                        "git-watcher",
                        "merge-bot",
                        "audit-collector",
                        "exec-agent",
                        "console",
                        "mcp-server");
        assertThat(one.instances().stream().map(one::port)).containsExactly(8081, 8082, 8083, 8084, 8085, 8086, 8087);

        Platform two = new Platform(settings(2));
        assertThat(two.instances())
                .containsExactly(
                        "crq-service",
                        "git-watcher",
                        "merge-bot",
                        "audit-collector",
                        "exec-agent",
                        "console",
                        "mcp-server",
                        "crq-service-2",
                        "git-watcher-2",
                        "merge-bot-2",
                        "audit-collector-2");
        assertThat(two.instances().stream().map(two::port).distinct()).hasSize(11);
        // A second instance is a whole range of ports (offsets 0 to 6) further.
        assertThat(two.url("audit-collector-2")).isEqualTo("http://127.0.0.1:8091");
        assertThat(two.instancesOf("merge-bot")).containsExactly("merge-bot", "merge-bot-2");
        assertThat(two.instancesOf("git-watcher")).containsExactly("git-watcher", "git-watcher-2");
        assertThat(two.instancesOf("crq-service")).containsExactly("crq-service", "crq-service-2");
        assertThat(two.instancesOf("exec-agent")).containsExactly("exec-agent");
        assertThat(two.instancesOf("console")).containsExactly("console");
        assertThat(Platform.serviceOf("audit-collector-2").name()).isEqualTo("audit-collector");
        assertThat(Platform.instanceNumber("audit-collector-2")).isEqualTo(2);
        assertThatThrownBy(() -> two.start("exec-agent-2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> two.start("crq-service-3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void upTakesAnInstanceCountFrom1To9() {
        assertThat(PlatformLauncher.instances("up", List.of("--instances", "3")))
                .contains(3);
        assertThat(PlatformLauncher.instances("up", List.of("--instances", "0")))
                .isEmpty();
        assertThat(PlatformLauncher.instances("up", List.of("--instances", "x")))
                .isEmpty();
        assertThat(PlatformLauncher.instances("down", List.of("--instances", "2")))
                .isEmpty();
        assertThat(PlatformLauncher.instances("up", List.of())).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> settings(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusListsEveryInstanceWithItsAddress() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        long self = ProcessHandle.current().pid();
        Files.writeString(dir.resolve("run/platform.pids"), "crq-service=" + self + "\ncrq-service-2=" + self + "\n");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            PlatformLauncher.status(settings(1));
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("crq-service ")
                .contains("http://127.0.0.1:8081")
                .contains("crq-service-2")
                .contains("http://127.0.0.1:8088");
    }
}
