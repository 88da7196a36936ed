package io.gitcrq.model.api.merge;

import java.time.Instant;
import java.util.List;

/**
 * GET /repos/{repo}/stale-branches: a branch that looks abandoned and every reason it is one; {@code crqId} and
 * {@code crqStatus} are empty when its name names no CRQ (or one merge-bot does not know).
 */
public record StaleBranch(
        String branch, String head, Instant lastCommitAt, String crqId, String crqStatus, List<String> reasons) {}
