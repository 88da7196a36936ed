package io.gitcrq.model.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code exec-cancel} (exec-agent): {@code cancelledBy} asked for exec {@code execId} (of {@code requestedBy}) to
 * be stopped, at {@code at}. {@code accepted}: its command is being stopped (its end is then audited as
 * {@code exec} or {@code exec-failed}, with {@code stoppedBy: cancel}); otherwise {@code reason} says why not (not
 * theirs to cancel, ended already). {@code command} is masked.
 */
public record ExecCancelRequested(
        String execId,
        String command,
        String session,
        String pane,
        String requestedBy,
        String cancelledBy,
        boolean accepted,
        String reason,
        Instant at)
        implements AuditPayload {

    public static final String KIND = "exec-cancel";

    public ExecCancelRequested {
        Objects.requireNonNull(execId, "execId");
        Objects.requireNonNull(cancelledBy, "cancelledBy");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
