package io.gitcrq.model.audit;

import java.util.Objects;

/**
 * {@code audit-source-failed} (exec-agent): the audit {@code source} of that kind could not start around exec
 * {@code execId} (whose log is {@code logPath}), for {@code reason} (masked); the command ran all the same.
 * exec-agent's AuditLedger writes the exec's id and log first here as for every source record (see
 * {@link ExecSourceRecord}), so this record carries them itself.
 */
public record AuditSourceFailed(String execId, String logPath, String source, String reason) implements AuditPayload {

    public static final String KIND = "audit-source-failed";

    public AuditSourceFailed {
        Objects.requireNonNull(execId, "execId");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
