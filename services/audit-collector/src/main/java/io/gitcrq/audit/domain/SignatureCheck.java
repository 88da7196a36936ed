package io.gitcrq.audit.domain;

import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.signature.Ed25519;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What becomes of an audit event before it is chained: the host's signature must verify with a key registered for
 * the host the event claims, and not revoked. Refused: an event without signature, one whose signature does not
 * verify, one signed with a key of another host or a revoked one, and one claiming a name of audit-collector's own
 * chains ({@code gitcrq/...}). Held: one signed with a key nobody registered yet (a new host): nothing is lost
 * before its admin registers it.
 */
public final class SignatureCheck {

    /** What to do with the event, and why (for a refused or held one). */
    public record Verdict(Outcome outcome, String reason, Refusal refusal) {
        public static final Verdict CHAIN = new Verdict(Outcome.CHAIN, null, null);

        public Verdict(Outcome outcome, String reason) {
            this(outcome, reason, null);
        }
    }

    /** Why an event was refused, as a kind (for counting; the reason says it in words). */
    public enum Refusal {
        RESERVED_HOST,
        UNSIGNED,
        REVOKED_KEY,
        BAD_SIGNATURE,
        FOREIGN_KEY,
        REPLAY
    }

    public enum Outcome {
        CHAIN,
        HOLD,
        REJECT
    }

    private SignatureCheck() {}

    /**
     * @param statement the batch statement the event's signature must be over, when the receiver computed it from the
     *     whole batch (a batch record); null: recomputed from the event's audit path
     * @param keysOfHost every key registered for the event's host, revoked ones included
     * @param keysWithId every key registered under the event's key id, for any host
     */
    public static Verdict of(
            NewAuditEvent e,
            String statement,
            List<RegisteredKey> keysOfHost,
            List<RegisteredKey> keysWithId,
            VerifiedStatements verified) {
        boolean signed = e.hostSeq() != null && e.keyId() != null && e.signature() != null;
        return of(
                e.host(),
                e.keyId(),
                signed,
                keysOfHost,
                keysWithId,
                key -> statement != null
                        ? verifies(statement, e.signature(), key, verified)
                        : verifies(e, key, verified));
    }

    /**
     * The verdict on anything a host signs (an event, a signed head): claiming {@code host}, signed (or not) with
     * key {@code keyId}; {@code verifies} checks the signature with a key registered for the host.
     */
    public static Verdict of(
            String host,
            String keyId,
            boolean signed,
            List<RegisteredKey> keysOfHost,
            List<RegisteredKey> keysWithId,
            Predicate<RegisteredKey> verifies) {
        if (host.startsWith(GovernanceChange.chainOf(""))) {
            return reject(
                    Refusal.RESERVED_HOST, "the host name " + host + " is reserved for audit-collector's own chains");
        }
        if (!signed) {
            return reject(Refusal.UNSIGNED, "not signed (no hostSeq, keyId or signature)");
        }
        Optional<RegisteredKey> key =
                keysOfHost.stream().filter(k -> k.fingerprint().equals(keyId)).findFirst();
        if (key.isPresent()) {
            if (key.get().revoked()) {
                return reject(Refusal.REVOKED_KEY, "signed with key " + keyId + " of host " + host + ", revoked");
            }
            return verifies.test(key.get())
                    ? Verdict.CHAIN
                    : reject(
                            Refusal.BAD_SIGNATURE,
                            "the signature does not verify with key " + keyId + " of host " + host);
        }
        Optional<String> other = keysWithId.stream().map(RegisteredKey::host).findFirst();
        if (other.isPresent()) {
            return reject(Refusal.FOREIGN_KEY, "signed with a key registered for another host (" + other.get() + ")");
        }
        return new Verdict(Outcome.HOLD, "no key " + keyId + " registered for host " + host + " yet");
    }

    /**
     * Whether the event's signature is the key's, over the statement of its batch recomputed from the event as it is
     * stored (its signed form, hostSeq, batch and audit path: {@link AuditSignature#statement}); a statement this key's
     * signature verified before ({@code verified}) is not verified again, and the audit path's node hashes computed
     * before for another event of the batch are not computed again (the whole path is still checked).
     */
    public static boolean verifies(NewAuditEvent e, RegisteredKey key, VerifiedStatements verified) {
        if (e.hostSeq() == null) {
            return false;
        }
        Optional<String> statement = AuditSignature.statement(
                e.host(),
                AuditSignature.canonical(
                        e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payloadCanonical(), e.hostSeq()),
                e.hostSeq(),
                e.batchFirstSeq(),
                e.batchSize(),
                e.batchProof(),
                verified.nodes());
        return statement.isPresent() && verifies(statement.get(), e.signature(), key, verified);
    }

    /** Whether {@code signature} is the key's over {@code statement}; each verified once ({@code verified}). */
    private static boolean verifies(
            String statement, String signature, RegisteredKey key, VerifiedStatements verified) {
        if (verified.contains(key.fingerprint(), statement, signature)) {
            return true;
        }
        boolean ok = Ed25519.verify(key.publicKey(), statement, signature);
        if (ok) {
            verified.add(key.fingerprint(), statement, signature);
        }
        return ok;
    }

    private static Verdict reject(Refusal refusal, String reason) {
        return new Verdict(Outcome.REJECT, reason, refusal);
    }
}
