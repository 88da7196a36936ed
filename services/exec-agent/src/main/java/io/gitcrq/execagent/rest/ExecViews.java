package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.domain.AuditSourceState;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.model.api.exec.ExecView;
import java.util.LinkedHashMap;
import java.util.Map;

/** An exec as the API shows it: secrets masked in its command, reason and step name. */
final class ExecViews {
    private ExecViews() {}

    static ExecView of(ManagedExec e, Redactor redactor, Map<String, AuditSourceState> audit) {
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
                sources(audit));
    }

    private static Map<String, ExecView.AuditSource> sources(Map<String, AuditSourceState> audit) {
        Map<String, ExecView.AuditSource> sources = new LinkedHashMap<>();
        audit.forEach((kind, state) -> sources.put(
                kind, new ExecView.AuditSource(state.status(), state.captured(), state.dropped(), state.reason())));
        return sources;
    }
}
