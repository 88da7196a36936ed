package io.gitcrq.model.event;

import java.time.Instant;
import java.util.Set;

/**
 * A CI system (or a person with the ci role) reported the state of a named check on one exact commit of
 * {@code repo}. The latest report of a check on a commit wins; merge-bot waits for required checks on it.
 */
public record CheckReported(
        String repo, String commitId, String name, String status, String url, String reportedBy, Instant at)
        implements DomainEvent {

    public static final String PENDING = "PENDING";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final Set<String> STATUSES = Set.of(PENDING, SUCCESS, FAILURE);

    public CheckReported {
        Require.text(repo, "repo");
        Require.text(commitId, "commitId");
        Require.text(name, "name");
        Require.text(status, "status");
        Require.text(reportedBy, "reportedBy");
        Require.present(at, "at");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of PENDING, SUCCESS, FAILURE, not " + status);
        }
    }

    /** Keyed by repository: a repository's check reports are consumed in the order they were made. */
    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo + ":" + commitId;
    }
}
