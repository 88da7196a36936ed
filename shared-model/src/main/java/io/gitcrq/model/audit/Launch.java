package io.gitcrq.model.audit;

import java.util.Map;
import java.util.Objects;

/**
 * {@code launch} (exec-agent): a tool started from a launch profile in a CRQ's worktree: the exec it runs as, the
 * profile, tool and command, the workflow it belongs to (null when none), where and for whom; {@code env} the
 * variables it was given (values masked) and {@code credentials} where each credential variable's value came from
 * ({@code env:NAME} or {@code file:PATH}, never the value). A workflow profile runs no exec of its own: then
 * {@code execId}, {@code pane} and {@code command} are null, {@code workflowRunId} names the run (whose steps are
 * the execs) and {@code env} and {@code credentials} are empty. {@code mcpServer}: the URL of gitcrq's MCP server the
 * tool was given with a token for this CRQ alone (its token never recorded), null when none.
 */
public record Launch(
        String execId,
        String workflowRunId,
        String profile,
        String tool,
        String command,
        String workflow,
        String project,
        String branch,
        String worktree,
        String session,
        String pane,
        String requestedBy,
        Map<String, String> env,
        Map<String, String> credentials,
        String mcpServer)
        implements AuditPayload {

    public static final String KIND = "launch";

    public Launch {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
