package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.domain.AuditSourceState;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
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
        Map<String, AuditSourceState> audit) {

    public static ExecView of(ManagedExec e, Redactor redactor, Map<String, AuditSourceState> audit) {
        return new ExecView(
                e.execId,
                e.status.name(),
                e.exitCode,
                e.logPath,
                e.startedAt,
                e.endedAt,
                e.session,
                e.pane,
                redactor.mask(e.command),
                e.crqId,
                e.branch,
                e.cwd,
                e.requestedBy,
                e.host,
                redactor.mask(e.reason),
                e.outputSha256,
                e.recordingPath,
                e.recordingSha256,
                e.timeoutMs,
                e.stoppedBy,
                e.workflowRunId,
                redactor.mask(e.workflowStep),
                e.profile,
                audit);
    }
}
