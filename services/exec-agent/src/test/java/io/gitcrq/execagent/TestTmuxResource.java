package io.gitcrq.execagent;

import io.gitcrq.testsupport.files.TempTrees;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Points the agent at a tmux server of the test's own ({@code -L gitcrq-test-…}), a temporary log directory,
 * a temporary recordings directory and a temporary directory for workflow runs, a route audit source that cannot start
 * ({@link #NO_SUCH_NETNS}), trusting the exec grants of {@link TestGrants}, with two secrets to mask: a literal value ({@link #SECRET}) and the
 * value of an environment variable the build sets ({@link #ENV_SECRET_NAME}); afterwards kills that server and
 * removes the directories.
 */
public class TestTmuxResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET = "hunter2-Zq9xVb7";
    public static final String ENV_SECRET_NAME = "GITCRQ_TEST_DEPLOY_TOKEN";

    private final String socket = "gitcrq-test-" + UUID.randomUUID().toString().substring(0, 8);
    private Path logDir;
    private Path recordingsDir;
    private Path workflowDir;

    /** The route audit source watches this namespace, which does not exist: it cannot start. */
    static final String NO_SUCH_NETNS = "gitcrq-test-no-such-netns";

    /** The host policy of the test agent denies this program. */
    static final String DENIED_COMMAND = "(^|[ ;&|])shutdown( |$)";

    /** The shells the test agent's policy allows: its tests run shell lines (through bash) and sh scripts. */
    static final String ALLOWED_SHELLS = "bash,sh";

    /** Where {@code POST /workflows {path}} may read workflow files from, besides the workflow directory. */
    public static final Path WORKFLOW_ROOT =
            Path.of(System.getProperty("java.io.tmpdir"), "exec-agent-workflow-root-" + UUID.randomUUID());

    @Override
    public Map<String, String> start() {
        try {
            logDir = Files.createTempDirectory("exec-agent-logs-");
            recordingsDir = Files.createTempDirectory("exec-agent-recordings-");
            workflowDir = Files.createTempDirectory("exec-agent-workflows-");
            Files.createDirectories(WORKFLOW_ROOT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return config();
    }

    /** The test agent's configuration. */
    protected Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("gitcrq.exec.tmux-socket", socket);
        config.put("gitcrq.exec.log-dir", logDir.toString());
        config.put("gitcrq.exec.recordings-dir", recordingsDir.toString());
        config.put("gitcrq.exec.workflow-dir", workflowDir.toString());
        config.put("gitcrq.exec.kill-grace", "1s");
        config.put("gitcrq.exec.redact", SECRET + ",env:" + ENV_SECRET_NAME);
        config.put("gitcrq.exec.policy.denied-commands", DENIED_COMMAND);
        config.put("gitcrq.exec.policy.allowed-shells", ALLOWED_SHELLS);
        config.put("gitcrq.exec.workflow-roots", WORKFLOW_ROOT.toString());
        config.put("gitcrq.exec.audit.route.netns", NO_SUCH_NETNS);
        config.put("gitcrq.exec.grant.trusted-keys", TestGrants.trustedKeyFile());
        return config;
    }

    @Override
    public void stop() {
        String socketPath = ExecAgentIT.tmux(socket, List.of("display-message", "-p", "#{socket_path}"))
                .trim();
        ExecAgentIT.tmux(socket, List.of("kill-server"));
        if (socketPath.startsWith("/")) {
            Path.of(socketPath).toFile().delete(); // tmux leaves the socket file behind
        }
        // The workflow root is shared by every start of the resource in this JVM: the first stop removes it.
        List.of(logDir, recordingsDir, workflowDir, WORKFLOW_ROOT).forEach(TempTrees::deleteQuietly);
    }
}
