package io.gitcrq.model.event;

import java.util.List;

/**
 * A commit newly reachable from a branch of a watched repository. {@code crqIds} are every CRQ the commit
 * is linked to: those its message names and, for a commit naming none, the CRQ of its branch.
 */
public record CommitPushed(
        String repo,
        String branch,
        String commitId,
        List<String> parents,
        GitPerson author,
        GitPerson committer,
        String message,
        List<String> crqIds)
        implements DomainEvent {

    public CommitPushed {
        Require.text(repo, "repo");
        Require.text(branch, "branch");
        Require.text(commitId, "commitId");
        parents = parents == null ? List.of() : List.copyOf(parents);
        crqIds = crqIds == null ? List.of() : List.copyOf(crqIds);
        message = message == null ? "" : message;
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo + ":" + commitId;
    }
}
