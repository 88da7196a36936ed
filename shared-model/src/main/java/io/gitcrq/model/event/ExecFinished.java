package io.gitcrq.model.event;

import java.time.Instant;

/**
 * A managed command's exec ended; its output is in {@code logPath} on {@code host}, digested as {@code outputSha256}.
 * Every exec the agent accepted ends with one: {@code status} {@link #FINISHED}, the command exited with
 * {@code exitCode}; {@link #FAILED}, its exit status is not known and never will be (it never started, or its pane
 * went away without reporting one): {@code exitCode} is then {@link #NO_EXIT_CODE} and {@code reason} says why.
 * Readers of the first form of this event (no status) take it as FINISHED.
 * <p>
 * Signed by its host ({@code io.gitcrq.model.chain.AuditSignature#signExecFinished}): {@code keyId} is the
 * fingerprint of the host's audit key and {@code signature} its Ed25519 signature of every other field, so that an end
 * claiming a host is believed only with that host's key (any exec-agent host may write the topic). Both null on an
 * event of a producer that does not sign; audit-collector shows only signed ends in its timelines.
 */
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
        String outputSha256,
        String status,
        String reason,
        String keyId,
        String signature)
        implements DomainEvent {

    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";
    /** The exit code of a FAILED end: no process exits with it, so it is never taken for one. */
    public static final int NO_EXIT_CODE = -1;

    public ExecFinished {
        Require.text(execId, "execId");
        Require.text(host, "host");
        Require.text(crqId, "crqId");
        status = status == null ? FINISHED : status;
        if (!FINISHED.equals(status) && !FAILED.equals(status)) {
            throw new IllegalArgumentException("status must be FINISHED or FAILED, not " + status);
        }
    }

    /** An end not signed yet: its host's key adds keyId and signature as it publishes it. */
    public ExecFinished(
            String execId,
            String host,
            String crqId,
            String session,
            String pane,
            int exitCode,
            Instant startedAt,
            Instant endedAt,
            String logPath,
            String outputSha256,
            String status,
            String reason) {
        this(
                execId,
                host,
                crqId,
                session,
                pane,
                exitCode,
                startedAt,
                endedAt,
                logPath,
                outputSha256,
                status,
                reason,
                null,
                null);
    }

    /** A command that exited with {@code exitCode}. */
    public ExecFinished(
            String execId,
            String host,
            String crqId,
            String session,
            String pane,
            int exitCode,
            Instant startedAt,
            Instant endedAt,
            String logPath,
            String outputSha256) {
        this(execId, host, crqId, session, pane, exitCode, startedAt, endedAt, logPath, outputSha256, FINISHED, null);
    }

    /** This end, signed: {@code signature} by the key {@code keyId} over {@code AuditSignature.execFinishedCanonical}. */
    public ExecFinished signed(String keyId, String signature) {
        return new ExecFinished(
                execId,
                host,
                crqId,
                session,
                pane,
                exitCode,
                startedAt,
                endedAt,
                logPath,
                outputSha256,
                status,
                reason,
                keyId,
                signature);
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
