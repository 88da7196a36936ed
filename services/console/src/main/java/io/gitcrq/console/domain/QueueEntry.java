package io.gitcrq.console.domain;

import java.time.Instant;
import java.util.List;

/** A CRQ in a merge queue, with the checks reported for the commit approved. */
public record QueueEntry(
        String crqId,
        String title,
        String state,
        String reason,
        String approver,
        String approvedCommit,
        Instant approvedAt,
        List<Check> checks) {}
