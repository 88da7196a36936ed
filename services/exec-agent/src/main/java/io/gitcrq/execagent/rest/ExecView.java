package io.gitcrq.execagent.rest;

import io.gitcrq.execagent.domain.ManagedExec;

import java.time.Instant;

/** An exec as the API shows it; {@code reason} says why one FAILED or was refused. */
public record ExecView(String execId, String status, Integer exitCode, String logPath, Instant startedAt,
                       Instant endedAt, String session, String pane, String command, String crqId, String branch,
                       String cwd, String requestedBy, String host, String reason) {

    public static ExecView of(ManagedExec e) {
        return new ExecView(e.execId, e.status.name(), e.exitCode, e.logPath, e.startedAt, e.endedAt, e.session,
                e.pane, e.command, e.crqId, e.branch, e.cwd, e.requestedBy, e.host, e.reason);
    }
}
