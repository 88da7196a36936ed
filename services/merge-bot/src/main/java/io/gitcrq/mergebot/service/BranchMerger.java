package io.gitcrq.mergebot.service;

import io.gitcrq.mergebot.domain.MergeOutcome;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Merges a CRQ's branch into its target inside the repository's object database, with no working tree: it
 * works on the bare repositories a Git server keeps. The target only moves by compare-and-swap, so a push
 * racing with the merge is never overwritten.
 */
@ApplicationScoped
public class BranchMerger {

    /** What one merge attempt came to; {@code branch} is empty when no single branch of the CRQ was found. */
    public record Result(MergeOutcome outcome, String branch, String mergeCommit, String reason) {
        static Result merged(String branch, String mergeCommit, String note) {
            return new Result(MergeOutcome.MERGED, branch, mergeCommit, note);
        }

        static Result blocked(String branch, String reason) {
            return new Result(MergeOutcome.BLOCKED, branch, null, reason);
        }
    }

    /** The target moved between reading it and updating it: the attempt starts over from its new head. */
    private static final Result TARGET_MOVED = Result.blocked(null, "target moved during the merge");
    private static final int SHORT_ID = 7;

    private final BranchNamePolicy policy = BranchNamePolicy.defaults();
    private final MergeBotConfig config;

    public BranchMerger(MergeBotConfig config) {
        this.config = config;
    }

    public Result merge(String repoName, File directory, CrqId crq, String target, String approver) {
        Repository repo;
        try {
            repo = open(directory);
        } catch (IOException | IllegalArgumentException e) {
            return Result.blocked(null, "repository " + repoName + " at " + directory + " cannot be opened: "
                    + e.getMessage());
        }
        try (repo) {
            Result result = attemptOnce(repo, repoName, crq, target, approver);
            if (result == TARGET_MOVED) {
                result = attemptOnce(repo, repoName, crq, target, approver);
            }
            return result != TARGET_MOVED ? result : Result.blocked(null, target + " of repo " + repoName
                    + " moved twice while merging " + crq + " (pushes racing with the merge); nothing was merged");
        } catch (IOException e) {
            return Result.blocked(null, "cannot read repository " + repoName + " at " + directory + ": " + e);
        }
    }

    private Result attemptOnce(Repository repo, String repoName, CrqId crq, String target, String approver)
            throws IOException {
        Ref targetRef = repo.exactRef(Constants.R_HEADS + target);
        if (targetRef == null || targetRef.getObjectId() == null) {
            return Result.blocked(null, "target branch " + target + " does not exist in repo " + repoName);
        }
        if (!repo.isBare() && target.equals(repo.getBranch())) {
            // Moving a checked-out branch behind the working tree's back would make its files look reverted.
            return Result.blocked(null, target + " is checked out in the working tree of repo " + repoName
                    + "; merge-bot merges into bare repositories (or into branches that are not checked out)");
        }
        List<Ref> candidates = branchesOf(repo, crq);
        if (candidates.isEmpty()) {
            return Result.blocked(null, "no branch for " + crq + " in repo " + repoName
                    + "; create one with: gitcrq branch start " + crq + " --type feature --desc …");
        }
        if (candidates.size() > 1) {
            return Result.blocked(null, "several branches for " + crq + " in repo " + repoName + ": "
                    + String.join(", ", candidates.stream().map(BranchMerger::shortName).toList())
                    + "; keep one of them (merge the others into it and delete them)");
        }
        String branch = shortName(candidates.get(0));

        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit targetHead = walk.parseCommit(targetRef.getObjectId());
            RevCommit branchHead = walk.parseCommit(candidates.get(0).getObjectId());

            Optional<RevCommit> mergedBy = mergeCommitOf(repo, branchHead, targetHead);
            if (mergedBy.isPresent()) {
                // E.g. a crash after the ref update but before our transaction committed: record, do not redo.
                return Result.merged(branch, mergedBy.get().name(),
                        branch + " was already merged into " + target + " by " + mergedBy.get().name());
            }
            List<MergeCriteria.BranchCommit> ahead = commitsAhead(repo, branchHead, targetHead);
            Optional<String> unmet = MergeCriteria.unmetBy(crq, branch, target, ahead);
            if (unmet.isPresent()) {
                return Result.blocked(branch, unmet.get());
            }

            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
            if (!merger.merge(targetHead, branchHead)) {
                TreeSet<String> files = new TreeSet<>(merger.getUnmergedPaths());
                if (merger.getFailingPaths() != null) {
                    files.addAll(merger.getFailingPaths().keySet());
                }
                return Result.blocked(branch, branch + " conflicts with " + target + " in " + String.join(", ", files)
                        + "; merge " + target + " into the branch, resolve the conflicts and push it");
            }
            PersonIdent bot = new PersonIdent(config.committerName(), config.committerEmail());
            ObjectId mergeCommit = writeMergeCommit(repo, merger.getResultTreeId(), targetHead, branchHead, bot,
                    mergeMessage(branch, target, crq, approver));

            RefUpdate update = repo.updateRef(Constants.R_HEADS + target);
            update.setExpectedOldObjectId(targetHead);
            update.setNewObjectId(mergeCommit);
            update.setRefLogIdent(bot);
            update.setRefLogMessage("merge-bot: merge " + branch + " for " + crq, false);
            RefUpdate.Result moved = update.update(walk);
            switch (moved) {
                case FAST_FORWARD:
                case NEW:
                case FORCED:
                    return Result.merged(branch, mergeCommit.name(), null);
                case LOCK_FAILURE:
                    return TARGET_MOVED;
                default:
                    return Result.blocked(branch, "could not move " + target + " of repo " + repoName
                            + " to the merge commit: " + moved);
            }
        }
    }

    static String mergeMessage(String branch, String target, CrqId crq, String approver) {
        return "Merge branch '" + branch + "' into " + target + "\n\nCRQ: " + crq + "\nApproved-by: " + approver + "\n";
    }

    private static Repository open(File directory) throws IOException {
        File gitDir = RepositoryCache.FileKey.resolve(directory, FS.DETECTED);
        if (gitDir == null) {
            throw new IOException("not a Git repository");
        }
        return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    }

    /** The branches whose valid gitcrq name says they carry {@code crq}'s work. */
    private List<Ref> branchesOf(Repository repo, CrqId crq) throws IOException {
        List<Ref> found = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            BranchNameVerdict verdict = policy.evaluate(shortName(ref));
            if (verdict.valid() && !verdict.exempt() && CrqId.parse(verdict.crqId()).equals(crq)) {
                found.add(ref);
            }
        }
        return found;
    }

    /**
     * The commit of the target that merged the branch in: a commit reachable from the target whose second (or
     * later) parent is the branch head. A branch whose head merely lies on the target's own line (created
     * there, no commits of its own) has no such commit: it has nothing to merge, rather than being merged.
     */
    private static Optional<RevCommit> mergeCommitOf(Repository repo, RevCommit branchHead, RevCommit targetHead)
            throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            if (!walk.isMergedInto(walk.parseCommit(branchHead), walk.parseCommit(targetHead))) {
                return Optional.empty();
            }
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(targetHead));
            walk.markUninteresting(walk.parseCommit(branchHead));
            for (RevCommit commit : walk) {
                for (int i = 1; i < commit.getParentCount(); i++) {
                    if (commit.getParent(i).equals(branchHead)) {
                        return Optional.of(commit);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The branch's commits that are not on the target ({@code branch ^target}), oldest first. */
    private static List<MergeCriteria.BranchCommit> commitsAhead(Repository repo, RevCommit branchHead,
                                                                 RevCommit targetHead) throws IOException {
        List<MergeCriteria.BranchCommit> ahead = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(branchHead));
            walk.markUninteresting(walk.parseCommit(targetHead));
            for (RevCommit commit : walk) {
                ahead.add(new MergeCriteria.BranchCommit(commit.abbreviate(SHORT_ID).name(), commit.getFullMessage()));
            }
        }
        return ahead;
    }

    private static ObjectId writeMergeCommit(Repository repo, ObjectId tree, RevCommit targetHead, RevCommit branchHead,
                                             PersonIdent bot, String message) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        // Always a real merge commit, target first: the target's first-parent line stays its own history.
        commit.setParentIds(targetHead, branchHead);
        commit.setAuthor(bot);
        commit.setCommitter(bot);
        commit.setMessage(message);
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static String shortName(Ref ref) {
        return Repository.shortenRefName(ref.getName());
    }
}
