package io.gitcrq.model.audit;

import java.util.Objects;

/**
 * {@code exec-refused} (exec-agent): a requested command was not run; {@code reason} says why. {@code command}
 * and {@code reason} are masked. {@code crqId}: the CRQ the request named (null: none); the event is that
 * CRQ's only when the host knows it, else the host's own (its {@code crqId} null).
 */
public record ExecRefused(
        String execId, String requestedBy, String command, String session, String pane, String reason, String crqId)
        implements AuditPayload {

    public static final String KIND = "exec-refused";

    public ExecRefused {
        Objects.requireNonNull(execId, "execId");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
