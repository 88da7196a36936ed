package io.gitcrq.model.event;

import java.time.Instant;

/** A managed command ended; its output is in {@code logPath} on {@code host}, digested as {@code outputSha256}. */
public record ExecFinished(
        String execId,
        String host,
        String crqId,
        String session,
        String pane,
        int exitCode,
        Instant startedAt,
        Instant endedAt,
        String logPath,
        String outputSha256)
        implements DomainEvent {
    public ExecFinished {
        Require.text(execId, "execId");
        Require.text(host, "host");
        Require.text(crqId, "crqId");
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
