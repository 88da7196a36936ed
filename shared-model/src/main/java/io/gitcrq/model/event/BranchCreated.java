package io.gitcrq.model.event;

import java.util.List;

/** A branch appeared in a watched repository. {@code crqIds} come from its name; empty when it names none. */
public record BranchCreated(String repo, String branch, String head, List<String> crqIds, boolean nameValid)
        implements DomainEvent {
    public BranchCreated {
        Require.text(repo, "repo");
        Require.text(branch, "branch");
        Require.text(head, "head");
        crqIds = crqIds == null ? List.of() : List.copyOf(crqIds);
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo + ":" + branch;
    }
}
