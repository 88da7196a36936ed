package io.gitcrq.mergebot.service;

import io.gitcrq.mergebot.domain.MergeStrategy;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * One {@link MergeStrategy}: computes the target's new head from its current head and the CRQ's branch, writing
 * whatever commits that takes, or says why it cannot. Moving the target is {@link BranchMerger}'s job.
 */
interface StrategyMerger {

    /** What a strategy works on: the branch and target as they are now, and the commits the branch adds. */
    record Input(
            Repository repo,
            RevWalk walk,
            BranchMerger.Request request,
            String branch,
            RevCommit targetHead,
            RevCommit branchHead,
            List<RevCommit> ahead,
            PersonIdent bot) {}

    /** The target's new head, or why there is none. */
    record NewHead(ObjectId head, BranchMerger.Result refusal) {
        static NewHead of(ObjectId head) {
            return new NewHead(head, null);
        }

        static NewHead refused(BranchMerger.Result refusal) {
            return new NewHead(null, refusal);
        }
    }

    NewHead newHead(Input input) throws IOException;

    static StrategyMerger of(MergeStrategy strategy) {
        return switch (strategy) {
            case MERGE -> new MergeCommitMerger();
            case FF_ONLY -> new FastForwardMerger();
            case SQUASH -> new SquashMerger();
            case REBASE -> new RebaseMerger();
        };
    }

    /** The branch (or one of its commits, being replayed) does not apply cleanly on the target. */
    static BranchMerger.Result conflict(ResolveMerger merger, String branch, String target, RevCommit replaying) {
        TreeSet<String> files = new TreeSet<>(merger.getUnmergedPaths());
        if (merger.getFailingPaths() != null) {
            files.addAll(merger.getFailingPaths().keySet());
        }
        String where = replaying == null ? branch : "commit " + Commits.shortId(replaying) + " of " + branch;
        return BranchMerger.Result.blocked(
                branch,
                where + " conflicts with " + target + " in " + String.join(", ", files) + "; merge " + target
                        + " into the branch, resolve the conflicts and push it");
    }

    /** The branch brings no change the target does not have. */
    static BranchMerger.Result nothingToMerge(String branch, String target) {
        return BranchMerger.Result.blocked(
                branch, "nothing to merge: the changes of " + branch + " are already on " + target);
    }
}
