package io.gitcrq.model.api.exec;

import java.time.Instant;
import java.util.Map;

/**
 * An exec as the API shows it; {@code reason} says why one FAILED or was refused; {@code recordingPath} is its
 * asciicast once it ended ({@code GET /execs/{execId}/recording}). Secrets are masked in the command. A workflow
 * step's exec names its run and step, and may have a timeout; {@code stoppedBy} says why the agent killed it
 * ({@code timeout}, {@code cancel}); an exec started from a launch profile names it. {@code audit} shows its audit
 * sources by kind: their state and, once stopped, what each captured and dropped.
 */
public record ExecView(
        String execId,
        String status,
        Integer exitCode,
        String logPath,
        Instant startedAt,
        Instant endedAt,
        String session,
        String pane,
        String command,
        String crqId,
        String branch,
        String cwd,
        String requestedBy,
        String host,
        String reason,
        String outputSha256,
        String recordingPath,
        String recordingSha256,
        Long timeoutMs,
        String stoppedBy,
        String workflowRunId,
        String workflowStep,
        String profile,
        Map<String, AuditSource> audit) {

    /**
     * One audit source of an exec: {@code RUNNING} once started, {@code STOPPED} with what it captured and dropped
     * once the exec ended, or {@code FAILED} with the reason it could not start.
     */
    public record AuditSource(String status, Long captured, Long dropped, String reason) {}
}
