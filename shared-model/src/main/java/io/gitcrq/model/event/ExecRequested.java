package io.gitcrq.model.event;

import java.util.List;

/**
 * Run {@code command} in tmux pane {@code pane} of session {@code session} on {@code host}, for a CRQ.
 * {@code requestedBy} is the authenticated user; the agent checks that user's role before running anything.
 * {@code audit} names the audit sources to start around the command (null: the host's defaults) and
 * {@code auditPaths} directories the {@code file} source watches besides the working directory (null: none). Both
 * came after version 1 was first published: a request without them reads as asking for neither. {@code grant} is
 * the proof of the person behind the request: a short-lived token crq-service signed
 * ({@link io.gitcrq.model.exec.ExecGrant}), which an agent verifies before it runs anything; it came later still, and a
 * request without it reads as one with no grant (which an agent refuses).
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
        List<String> auditPaths,
        String grant)
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
        this(execId, host, session, pane, command, crqId, branch, cwd, requestedBy, null, null, null);
    }

    /** This request carrying {@code grant}. */
    public ExecRequested withGrant(String grant) {
        return new ExecRequested(
                execId, host, session, pane, command, crqId, branch, cwd, requestedBy, audit, auditPaths, grant);
    }

    /** Never the grant: a bearer token stays out of logs. */
    @Override
    public String toString() {
        return "ExecRequested[execId=" + execId + ", host=" + host + ", session=" + session + ", pane=" + pane
                + ", command=" + command + ", crqId=" + crqId + ", branch=" + branch + ", cwd=" + cwd
                + ", requestedBy=" + requestedBy + ", audit=" + audit + ", auditPaths=" + auditPaths + ", grant="
                + (grant == null ? "none" : "present") + "]";
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
