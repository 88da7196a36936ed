package io.gitcrq.model.api.git;

import io.gitcrq.model.event.PolicyViolation;
import java.util.List;

/** What one poll of a repository found ({@code POST /repos/{name}/poll}), in the order it was announced. */
public record PollSummary(
        String repo,
        List<String> newBranches,
        List<String> deletedBranches,
        List<String> newCommits,
        List<PolicyViolation> violations) {}
