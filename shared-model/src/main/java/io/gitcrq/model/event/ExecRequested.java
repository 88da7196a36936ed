package io.gitcrq.model.event;

/**
 * Run {@code command} in tmux pane {@code pane} of session {@code session} on {@code host}, for a CRQ.
 * {@code requestedBy} is the authenticated user; the agent checks that user's role before running anything.
 */
public record ExecRequested(String execId, String host, String session, String pane, String command,
                            String crqId, String branch, String cwd, String requestedBy) implements DomainEvent {
    public ExecRequested {
        Require.text(execId, "execId");
        Require.text(host, "host");
        Require.text(session, "session");
        Require.text(pane, "pane");
        Require.text(command, "command");
        Require.text(crqId, "crqId");
        Require.text(requestedBy, "requestedBy");
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
