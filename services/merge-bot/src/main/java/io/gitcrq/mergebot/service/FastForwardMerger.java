package io.gitcrq.mergebot.service;

import java.io.IOException;

/** {@code ff-only}: the target moves to the branch head itself, which must contain the target's head. */
final class FastForwardMerger implements StrategyMerger {

    @Override
    public NewHead newHead(Input in) throws IOException {
        String target = in.request().target();
        if (!in.walk().isMergedInto(in.targetHead(), in.branchHead())) {
            return NewHead.refused(BranchMerger.Result.blocked(
                    in.branch(),
                    in.branch() + " is not a fast-forward of " + target
                            + " (" + target + " has commits the branch does not contain) and repo "
                            + in.request().repoName() + " merges ff-only; rebase the branch on " + target
                            + " and push it"));
        }
        return NewHead.of(in.branchHead());
    }
}
