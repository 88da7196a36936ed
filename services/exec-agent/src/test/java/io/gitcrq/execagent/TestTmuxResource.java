package io.gitcrq.execagent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Points the agent at a tmux server of the test's own ({@code -L gitcrq-test-…}) and a temporary log
 * directory; afterwards kills that server and removes the directory.
 */
public class TestTmuxResource implements QuarkusTestResourceLifecycleManager {

    private final String socket = "gitcrq-test-" + UUID.randomUUID().toString().substring(0, 8);
    private Path logDir;

    @Override
    public Map<String, String> start() {
        try {
            logDir = Files.createTempDirectory("exec-agent-logs-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("gitcrq.exec.tmux-socket", socket, "gitcrq.exec.log-dir", logDir.toString());
    }

    @Override
    public void stop() {
        String socketPath = ExecAgentTest.tmux(socket, List.of("display-message", "-p", "#{socket_path}")).trim();
        ExecAgentTest.tmux(socket, List.of("kill-server"));
        if (socketPath.startsWith("/")) {
            Path.of(socketPath).toFile().delete(); // tmux leaves the socket file behind
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + logDir + ": " + e);
        }
    }
}
