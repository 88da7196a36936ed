package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code exec} (exec-agent): a managed command ended with {@code exitCode}. What ran, where and for whom; its log
 * and recording with their SHA-256 (null when there is none); {@code timeoutMs}, {@code stoppedBy},
 * {@code profile} and the workflow step only when they apply; {@code reason} when exec-agent noted one.
 * {@code command} and {@code reason} are masked (secrets replaced) before they get here.
 */
public record ExecEnd(
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
        @JsonUnwrapped WorkflowStepOf workflowStep,
        @JsonInclude(Include.NON_NULL) String profile,
        int exitCode,
        @JsonInclude(Include.NON_NULL) String reason)
        implements AuditPayload {

    /** {@code AuditCaptured.KIND_EXEC}. */
    public static final String KIND = "exec";

    public ExecEnd {
        Objects.requireNonNull(execId, "execId");
    }

    /** The workflow run and step an exec ran for: both written, or (not a workflow's) neither. */
    public record WorkflowStepOf(String workflowRunId, String workflowStep) {}

    @Override
    public String kind() {
        return KIND;
    }
}
