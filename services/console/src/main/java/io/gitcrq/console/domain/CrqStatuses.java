package io.gitcrq.console.domain;

import java.util.List;

/** The statuses of a CRQ (crq-service's lifecycle), in the order the board shows them. */
public final class CrqStatuses {
    public static final List<String> ALL =
            List.of("DRAFT", "SUBMITTED", "APPROVED", "MERGED", "CLOSED", "REJECTED", "CANCELLED");

    private CrqStatuses() {}
}
