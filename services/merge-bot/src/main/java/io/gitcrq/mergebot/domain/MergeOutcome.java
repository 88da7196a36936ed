package io.gitcrq.mergebot.domain;

/**
 * What looking at an approved CRQ came to. MERGED and BLOCKED are recorded as merge attempts; WAITING is not
 * an attempt (nothing was tried): the CRQ stays in its queue until what it waits for arrives.
 */
public enum MergeOutcome {
    MERGED,
    BLOCKED,
    WAITING
}
