package io.gitcrq.console.domain;

import java.time.Instant;

/** A CRQ as the board shows it. */
public record CrqCard(
        String id,
        String title,
        String repo,
        String targetBranch,
        String requester,
        String approver,
        String status,
        String mergeState,
        String mergeReason,
        Instant updatedAt) {}
