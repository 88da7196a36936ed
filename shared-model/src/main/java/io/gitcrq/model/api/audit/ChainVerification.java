package io.gitcrq.model.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What verifying hash chains found ({@code GET /audit/verify}). {@code ok}: every link recomputed and matched ({@code verified} links),
 * with where the chain ends ({@code lastSequence}, {@code lastHash}) and the checkpoint it starts from, if
 * retention left one; over all hosts, {@code hosts} holds each host's result. Not ok: the first broken link,
 * {@code sequence} and {@code eventId} of the host's chain (no event id for a row that is missing), the hash
 * the chain expects there and the hash stored there, a short {@code reason} ("row changed", "row missing",
 * "sequence gap", "link broken", "signature invalid", ...) and a {@code detail} sentence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerification(
        boolean ok,
        String host,
        long verified,
        Long sequence,
        String eventId,
        String expectedHash,
        String storedHash,
        String reason,
        String detail,
        Long lastSequence,
        String lastHash,
        Long checkpointSequence,
        String checkpointHash,
        List<ChainVerification> hosts) {

    public static final String ROW_CHANGED = "row changed";
    public static final String ROW_MISSING = "row missing";
    public static final String SEQUENCE_GAP = "sequence gap";
    public static final String LINK_BROKEN = "link broken";
    public static final String OUT_OF_ORDER = "row before checkpoint";
    public static final String BEYOND_HEAD = "row beyond head";
    public static final String HEAD_MISMATCH = "head mismatch";
    public static final String NOT_CHAINED = "row not chained";
    /** The host's signature of the row does not verify, or its key is not one registered for the host. */
    public static final String SIGNATURE_INVALID = "signature invalid";
    /** A row of a host's chain without the host's signature, where the chain is signed. */
    public static final String UNSIGNED = "row unsigned";
    /** The host's numbering skips: events of the host are missing, and no signed checkpoint says they were deleted. */
    public static final String HOST_SEQ_GAP = "hostSeq gap";
    /** The host signed a head further than the chain goes (or another event at that number): its end was cut off. */
    public static final String TRUNCATED = "chain truncated";
    /** The host signed heads but the chain holds none of its events, and no checkpoint: the chain was deleted. */
    public static final String CHAIN_DELETED = "chain deleted";
    /** The retention checkpoint verification starts from does not carry audit-collector's signature. */
    public static final String CHECKPOINT_UNSIGNED = "checkpoint unsigned";

    public static ChainVerification intact(
            String host,
            long verified,
            long lastSequence,
            String lastHash,
            Long checkpointSequence,
            String checkpointHash) {
        return new ChainVerification(
                true,
                host,
                verified,
                null,
                null,
                null,
                null,
                null,
                null,
                lastSequence,
                lastHash,
                checkpointSequence,
                checkpointHash,
                null);
    }

    public static ChainVerification broken(
            String host,
            long verified,
            Long sequence,
            String eventId,
            String expectedHash,
            String storedHash,
            String reason,
            String detail) {
        return new ChainVerification(
                false,
                host,
                verified,
                sequence,
                eventId,
                expectedHash,
                storedHash,
                reason,
                detail,
                null,
                null,
                null,
                null,
                null);
    }

    /** Every host intact. */
    public static ChainVerification allIntact(List<ChainVerification> hosts) {
        long verified = hosts.stream().mapToLong(ChainVerification::verified).sum();
        return new ChainVerification(
                true, null, verified, null, null, null, null, null, null, null, null, null, null, List.copyOf(hosts));
    }
}
