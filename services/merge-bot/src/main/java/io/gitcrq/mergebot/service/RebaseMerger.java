package io.gitcrq.mergebot.service;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;

/** {@code rebase}: the branch's commits replayed one by one on the target, with their messages and authors. */
final class RebaseMerger implements StrategyMerger {

    @Override
    public NewHead newHead(Input in) throws IOException {
        String target = in.request().target();
        for (RevCommit commit : in.ahead()) {
            if (commit.getParentCount() != 1) {
                return NewHead.refused(BranchMerger.Result.blocked(
                        in.branch(),
                        "commit " + Commits.shortId(commit) + " of " + in.branch()
                                + " is a merge commit, which repo "
                                + in.request().repoName()
                                + "'s rebase strategy cannot replay; rebase the branch on " + target
                                + " yourself and push it"));
            }
        }
        RevCommit newHead = in.targetHead();
        int replayed = 0;
        for (RevCommit commit : in.ahead()) {
            RevCommit parent = in.walk().parseCommit(commit.getParent(0));
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(in.repo(), true);
            merger.setBase(parent.getTree()); // a cherry-pick: the commit's own change, applied on the new head
            if (!merger.merge(newHead, commit)) {
                return NewHead.refused(StrategyMerger.conflict(merger, in.branch(), target, commit));
            }
            if (merger.getResultTreeId().equals(newHead.getTree())) {
                continue; // its change is already on the target, as git rebase drops it
            }
            newHead = in.walk()
                    .parseCommit(Commits.write(
                            in.repo(),
                            merger.getResultTreeId(),
                            List.of(newHead),
                            commit.getAuthorIdent(),
                            in.bot(),
                            commit.getFullMessage()));
            replayed++;
        }
        if (replayed == 0) {
            return NewHead.refused(StrategyMerger.nothingToMerge(in.branch(), target));
        }
        return NewHead.of(newHead);
    }
}
