package io.gitcrq.model.event;

import java.time.Instant;

/**
 * A host's signed statement of how far its audit trail goes: it has published its audit events up to
 * {@code lastSeq} (its {@code hostSeq} numbering), and {@code lastDigest} is the SHA-256 of the signed form of event
 * {@code lastSeq} ({@code io.gitcrq.model.chain.AuditSignature#digest}). Published periodically and on shutdown, so
 * that events cut off the end of a host's chain, or a whole chain deleted, show when the chain is verified.
 * {@code signature} is the host key's ({@code keyId}) signature of the head's signed form.
 */
public record AuditHeadSigned(
        String host, long lastSeq, String lastDigest, Instant signedAt, String keyId, String signature)
        implements DomainEvent {

    public AuditHeadSigned {
        Require.text(host, "host");
        if (lastSeq < 1) {
            throw new IllegalArgumentException("lastSeq must be 1 or more, not " + lastSeq);
        }
        Require.text(lastDigest, "lastDigest");
        Require.present(signedAt, "signedAt");
        Require.text(keyId, "keyId");
        Require.text(signature, "signature");
    }

    @Override
    public String partitionKey() {
        return host;
    }

    @Override
    public String subject() {
        return host;
    }
}
