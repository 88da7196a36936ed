package io.gitcrq.mergebot.service;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;

/** {@code squash}: one new commit on the target (one parent) with the branch's combined change. */
final class SquashMerger implements StrategyMerger {

    @Override
    public NewHead newHead(Input in) throws IOException {
        String target = in.request().target();
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(in.repo(), true);
        if (!merger.merge(in.targetHead(), in.branchHead())) {
            return NewHead.refused(StrategyMerger.conflict(merger, in.branch(), target, null));
        }
        if (merger.getResultTreeId().equals(in.targetHead().getTree())) {
            return NewHead.refused(StrategyMerger.nothingToMerge(in.branch(), target));
        }
        return NewHead.of(Commits.write(
                in.repo(),
                merger.getResultTreeId(),
                List.of(in.targetHead()),
                in.branchHead().getAuthorIdent(),
                in.bot(),
                MergeMessageFormatter.squashCommit(
                        in.branch(), target, in.request().crq(), in.request().approver(), in.ahead())));
    }
}
