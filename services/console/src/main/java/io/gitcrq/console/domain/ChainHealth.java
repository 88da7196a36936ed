package io.gitcrq.console.domain;

import java.time.Instant;

/**
 * What the console can tell of a host's audit chain from the events themselves: the signed events received, the
 * highest host sequence among them (no gap when they are equal) and the last head the host signed.
 */
public record ChainHealth(String host, long signedEvents, long maxSeq, Long headSeq, Instant headSignedAt) {

    /** Every sequence number from 1 to {@link #maxSeq} was received. */
    public boolean gapless() {
        return signedEvents == maxSeq;
    }
}
