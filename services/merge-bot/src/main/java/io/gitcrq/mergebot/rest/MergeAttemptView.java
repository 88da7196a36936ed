package io.gitcrq.mergebot.rest;

import io.gitcrq.mergebot.domain.MergeAttempt;
import java.time.Instant;

/** A merge attempt as the API shows it. */
public record MergeAttemptView(
        String crqId,
        String repo,
        String branch,
        String targetBranch,
        String outcome,
        String reason,
        String mergeCommit,
        Instant at) {

    public static MergeAttemptView of(MergeAttempt attempt) {
        return new MergeAttemptView(
                attempt.crqId().toString(),
                attempt.repo,
                attempt.branch,
                attempt.targetBranch,
                attempt.outcome.name(),
                attempt.reason,
                attempt.mergeCommit,
                attempt.at);
    }
}
