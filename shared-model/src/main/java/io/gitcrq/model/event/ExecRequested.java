package io.gitcrq.model.event;

import java.util.List;

/**
 * Run {@code command} in tmux pane {@code pane} of session {@code session} on {@code host}, for a CRQ.
 * {@code requestedBy} is the authenticated user; the agent checks that user's role before running anything.
 * {@code audit} names the audit sources to start around the command (null: the host's defaults) and
 * {@code auditPaths} directories the {@code file} source watches besides the working directory (null: none). Both
 * came after version 1 was first published: a request without them reads as asking for neither.
 */
public record ExecRequested(
        String execId,
        String host,
        String session,
        String pane,
        String command,
        String crqId,
        String branch,
        String cwd,
        String requestedBy,
        List<String> audit,
        List<String> auditPaths)
        implements DomainEvent {
    public ExecRequested {
        Require.text(execId, "execId");
        Require.text(host, "host");
        Require.text(session, "session");
        Require.text(pane, "pane");
        Require.text(command, "command");
        Require.text(crqId, "crqId");
        Require.text(requestedBy, "requestedBy");
        audit = audit == null ? null : List.copyOf(audit);
        auditPaths = auditPaths == null ? null : List.copyOf(auditPaths);
    }

    /** A request leaving the audit sources to the host's defaults. */
    public ExecRequested(
            String execId,
            String host,
            String session,
            String pane,
            String command,
            String crqId,
            String branch,
            String cwd,
            String requestedBy) {
        this(execId, host, session, pane, command, crqId, branch, cwd, requestedBy, null, null);
    }

    @Override
    public String partitionKey() {
        return host;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
