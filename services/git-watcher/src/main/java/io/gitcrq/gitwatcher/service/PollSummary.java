package io.gitcrq.gitwatcher.service;

import io.gitcrq.model.event.PolicyViolation;
import java.util.List;

/** What one poll of a repository found, in the order it was announced. */
public record PollSummary(
        String repo,
        List<String> newBranches,
        List<String> deletedBranches,
        List<String> newCommits,
        List<PolicyViolation> violations) {}
