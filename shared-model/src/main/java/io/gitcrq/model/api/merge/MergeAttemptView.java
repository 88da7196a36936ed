package io.gitcrq.model.api.merge;

import java.time.Instant;

/** GET /merges: one time merge-bot tried to merge a CRQ; {@code outcome} is MERGED or BLOCKED (see reason). */
public record MergeAttemptView(
        String crqId,
        String repo,
        String branch,
        String targetBranch,
        String outcome,
        String reason,
        String mergeCommit,
        Instant at) {}
