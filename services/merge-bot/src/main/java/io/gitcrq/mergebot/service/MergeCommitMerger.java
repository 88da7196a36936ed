package io.gitcrq.mergebot.service;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;

/** {@code merge}: a merge commit on the target, the target's head its first parent and the branch head its second. */
final class MergeCommitMerger implements StrategyMerger {

    @Override
    public NewHead newHead(Input in) throws IOException {
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(in.repo(), true);
        if (!merger.merge(in.targetHead(), in.branchHead())) {
            return NewHead.refused(
                    StrategyMerger.conflict(merger, in.branch(), in.request().target(), null));
        }
        // Target first: the target's first-parent line stays its own history.
        return NewHead.of(Commits.write(
                in.repo(),
                merger.getResultTreeId(),
                List.of(in.targetHead(), in.branchHead()),
                in.bot(),
                in.bot(),
                MergeMessageFormatter.mergeCommit(
                        in.branch(),
                        in.request().target(),
                        in.request().crq(),
                        in.request().approver())));
    }
}
