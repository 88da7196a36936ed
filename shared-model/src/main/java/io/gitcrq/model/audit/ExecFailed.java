package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code exec-failed} (exec-agent): the exit status of a managed command will never be known (tmux refused to
 * start it, the pane went away, the agent restarted); {@code reason} says why (masked). The other fields are
 * those of {@link ExecEnd}.
 */
public record ExecFailed(
        String execId,
        String command,
        String cwd,
        String session,
        String pane,
        String branch,
        String requestedBy,
        Instant startedAt,
        Instant endedAt,
        String logPath,
        String outputSha256,
        String recordingPath,
        String recordingSha256,
        @JsonInclude(Include.NON_NULL) Long timeoutMs,
        @JsonInclude(Include.NON_NULL) String stoppedBy,
        @JsonUnwrapped ExecEnd.WorkflowStepOf workflowStep,
        @JsonInclude(Include.NON_NULL) String profile,
        String reason)
        implements AuditPayload {

    public static final String KIND = "exec-failed";

    public ExecFailed {
        Objects.requireNonNull(execId, "execId");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
