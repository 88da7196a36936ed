package io.gitcrq.crq.domain;

import java.util.EnumSet;
import java.util.Set;

/** A CRQ's lifecycle: DRAFT → SUBMITTED → APPROVED → MERGED → CLOSED, with REJECTED and CANCELLED as ends. */
public enum CrqStatus {
    DRAFT,
    SUBMITTED,
    APPROVED,
    MERGED,
    CLOSED,
    REJECTED,
    CANCELLED;

    public Set<CrqStatus> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(SUBMITTED, CANCELLED);
            case SUBMITTED -> EnumSet.of(APPROVED, REJECTED, CANCELLED);
            // An approved CRQ that cannot be merged can still be withdrawn.
            case APPROVED -> EnumSet.of(MERGED, CANCELLED);
            case MERGED -> EnumSet.of(CLOSED);
            case CLOSED, REJECTED, CANCELLED -> EnumSet.noneOf(CrqStatus.class);
        };
    }

    public boolean canMoveTo(CrqStatus target) {
        return next().contains(target);
    }

    /** Work may still happen on the CRQ (branches, commits). */
    public boolean isOpen() {
        return this == DRAFT || this == SUBMITTED || this == APPROVED;
    }
}
