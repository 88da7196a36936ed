package io.gitcrq.console.domain;

import java.time.Instant;

/** Everything the read model knows of one CRQ itself. */
public record CrqDetail(
        String id,
        String title,
        String description,
        String requester,
        String repo,
        String targetBranch,
        String status,
        String statusReason,
        Instant createdAt,
        String approver,
        String approvedCommit,
        Instant approvedAt,
        String mergeState,
        String mergeReason,
        String mergeCommit,
        Instant mergedAt) {}
