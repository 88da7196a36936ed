package io.gitcrq.mergebot.service;

import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.kit.policy.RepoPolicies;
import io.gitcrq.mergebot.domain.MergeOutcome;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Merges a CRQ's branch into its target inside the repository's object database, with no working tree: it
 * works on the bare repositories a Git server keeps. Each strategy ({@link io.gitcrq.mergebot.domain.MergeStrategy},
 * done by its {@link StrategyMerger}) computes the target's new head from the target's current head; the target
 * only moves by compare-and-swap, so a push racing with the merge is never overwritten.
 *
 * <p>An approval is for one commit: the branch is merged only while its head is the approved commit, so a
 * commit pushed after the approval is never merged without a new one (the attempt is blocked, saying so).
 * Required checks are verified on that head, whatever the strategy: it is the commit CI builds when the branch
 * is pushed, and the one ff-only lands as is; a check that passed on an earlier head does not count. The merge result itself is verified against the
 * target's current head (it must apply without conflicts), not rebuilt by CI.
 *
 * <p>The CRQ's branch is found by the repository's naming rule, read from the repository at each attempt
 * ({@link Landing#policy}): a local repository's git config over the service-wide {@code gitcrq.policy.*}.
 */
@ApplicationScoped
public class BranchMerger {

    /**
     * One CRQ to merge, and how. {@code approvedCommit} is the commit the approval is for: the branch is merged
     * only while that is its head (null for an approval that named no commit: the head found is merged).
     */
    public record Request(
            String repoName,
            Landing landing,
            CrqId crq,
            String target,
            String approver,
            String approvedCommit,
            io.gitcrq.mergebot.domain.MergeStrategy strategy,
            boolean deleteMergedBranch) {}

    /** A move of the target an earlier attempt was about to make. */
    public record Move(String branch, String newHead) {}

    /** What the merge queue tells the merger about a CRQ, and learns from it. */
    public interface Queue {
        /** Whether the repository's required checks allow merging {@code commitId} (the branch head). */
        RequiredChecks.Verdict checks(String branch, String commitId, String shortId);

        /** The target head an earlier attempt for the CRQ was about to set, if any. */
        Optional<Move> lastMove();

        /** Called before the target moves to {@code newHead}; what it records must survive a crash after the move. */
        void moving(Move move);
    }

    /** What one merge attempt came to; {@code branch} is empty when no single branch of the CRQ was found. */
    public record Result(MergeOutcome outcome, String branch, String mergeCommit, String reason) {
        static Result merged(String branch, String mergeCommit, String note) {
            return new Result(MergeOutcome.MERGED, branch, mergeCommit, note);
        }

        public static Result blocked(String branch, String reason) {
            return new Result(MergeOutcome.BLOCKED, branch, null, reason);
        }

        static Result waiting(String branch, String reason) {
            return new Result(MergeOutcome.WAITING, branch, null, reason);
        }
    }

    /** The target moved between reading it and updating it: the attempt starts over from its new head. */
    private static final Result TARGET_MOVED = Result.blocked(null, "target moved during the merge");

    private final RepoPolicies policies;
    private final MergeBotConfig config;

    public BranchMerger(RepoPolicies policies, MergeBotConfig config) {
        this.policies = policies;
        this.config = config;
    }

    public Result merge(Request request, Queue queue) {
        Result result = attemptOnce(request, queue);
        if (result == TARGET_MOVED) {
            result = attemptOnce(request, queue);
        }
        return result != TARGET_MOVED
                ? result
                : Result.blocked(
                        null,
                        request.target() + " of repo "
                                + request.repoName() + " moved twice while merging " + request.crq()
                                + " (pushes racing with the merge); nothing was merged");
    }

    /** One look at the repository as it is now: a remote one is fetched again first. */
    private Result attemptOnce(Request request, Queue queue) {
        File directory;
        Repository repo;
        try {
            directory = request.landing().prepare();
        } catch (IOException e) {
            return Result.blocked(null, "repository " + request.repoName() + " cannot be reached: " + e.getMessage());
        }
        try {
            repo = Landing.open(directory);
        } catch (IOException | IllegalArgumentException e) {
            return Result.blocked(
                    null,
                    "repository " + request.repoName() + " at " + directory + " cannot be opened: " + e.getMessage());
        }
        try (repo) {
            return attemptIn(repo, request, queue);
        } catch (IOException e) {
            return Result.blocked(
                    null, "cannot read repository " + request.repoName() + " at " + directory + ": " + e.getMessage());
        }
    }

    private Result attemptIn(Repository repo, Request request, Queue queue) throws IOException {
        String repoName = request.repoName();
        String target = request.target();
        CrqId crq = request.crq();
        Ref targetRef = repo.exactRef(Constants.R_HEADS + target);
        if (targetRef == null || targetRef.getObjectId() == null) {
            return Result.blocked(null, "target branch " + target + " does not exist in repo " + repoName);
        }
        if (!repo.isBare() && target.equals(repo.getBranch())) {
            // Moving a checked-out branch behind the working tree's back would make its files look reverted.
            return Result.blocked(
                    null,
                    target + " is checked out in the working tree of repo " + repoName
                            + "; merge-bot merges into bare repositories (or into branches that are not checked out)");
        }
        Optional<Move> landed = landedMove(repo, targetRef.getObjectId(), queue.lastMove());
        if (landed.isPresent()) {
            // The target was moved for this CRQ, but the service stopped before recording it: record, do not redo.
            return Result.merged(
                    landed.get().branch(),
                    landed.get().newHead(),
                    target + " already holds " + landed.get().newHead() + ", merge-bot's earlier move for " + crq);
        }
        EffectivePolicy policy = request.landing().policy(repoName, repo, policies);
        BranchNamePolicy names = policy.policy().branchNames();
        List<Ref> candidates = branchesOf(repo, crq, names);
        if (candidates.isEmpty()) {
            return Result.blocked(
                    null,
                    "no branch for " + crq + " in repo " + repoName
                            + "; create one with: gitcrq branch start " + crq + " --type " + names.exampleType()
                            + " --desc … (rule: " + policy.branchRule() + ")"
                            + (policy.error() == null ? "" : "; note: " + policy.error()));
        }
        if (candidates.size() > 1) {
            return Result.blocked(
                    null,
                    "several branches for " + crq + " in repo " + repoName + ": "
                            + String.join(
                                    ", ",
                                    candidates.stream()
                                            .map(BranchMerger::shortName)
                                            .toList())
                            + "; keep one of them (merge the others into it and delete them)");
        }
        String branch = shortName(candidates.get(0));

        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit targetHead = walk.parseCommit(targetRef.getObjectId());
            RevCommit branchHead = walk.parseCommit(candidates.get(0).getObjectId());

            Optional<String> unapproved = movedSinceApproval(request, branch, branchHead);
            List<RevCommit> ahead = commitsAhead(repo, branchHead, targetHead);
            // Only a branch with nothing ahead of the target can have been merged into it: the search for the
            // merge commit walks the target's history, so it is spared when the branch has commits of its own.
            Optional<RevCommit> mergedBy =
                    ahead.isEmpty() ? mergeCommitOf(repo, branchHead, targetHead) : Optional.empty();
            if (mergedBy.isPresent()) {
                if (unapproved.isPresent()) {
                    // Merged by hand, but not the approved commit: not recorded as this CRQ's merge.
                    return Result.blocked(branch, unapproved.get());
                }
                // E.g. merged by hand, or a crash after the ref update but before our transaction committed.
                return Result.merged(
                        branch,
                        mergedBy.get().name(),
                        branch + " was already merged into " + target + " by "
                                + mergedBy.get().name());
            }
            Optional<String> unmet = MergeCriteria.unmetBy(
                    crq,
                    branch,
                    target,
                    ahead.stream()
                            .map(c -> new MergeCriteria.BranchCommit(Commits.shortId(c), c.getFullMessage()))
                            .toList());
            if (unmet.isPresent()) {
                return Result.blocked(branch, unmet.get());
            }
            // A branch carrying another CRQ's commit says so first; either way nothing unapproved is merged.
            if (unapproved.isPresent()) {
                return Result.blocked(branch, unapproved.get());
            }
            RequiredChecks.Verdict checks = queue.checks(branch, branchHead.name(), Commits.shortId(branchHead));
            if (checks.state() == RequiredChecks.State.FAILED) {
                return Result.blocked(branch, checks.reason());
            }
            if (checks.state() == RequiredChecks.State.WAITING) {
                return Result.waiting(branch, checks.reason());
            }

            PersonIdent bot = new PersonIdent(config.committerName(), config.committerEmail());
            StrategyMerger.NewHead produced = StrategyMerger.of(request.strategy())
                    .newHead(new StrategyMerger.Input(repo, walk, request, branch, targetHead, branchHead, ahead, bot));
            if (produced.refusal() != null) {
                return produced.refusal();
            }
            ObjectId newHead = produced.head();
            queue.moving(new Move(branch, newHead.name()));

            Landing.MoveResult moved = request.landing()
                    .moveTarget(
                            repo,
                            walk,
                            target,
                            targetHead,
                            newHead,
                            bot,
                            MergeMessageFormatter.targetMove(request.strategy().setting(), branch, crq));
            return switch (moved.move()) {
                case MOVED ->
                    Result.merged(
                            branch,
                            newHead.name(),
                            request.deleteMergedBranch()
                                    ? request.landing().deleteBranch(repo, walk, branch, branchHead)
                                    : null);
                case TARGET_MOVED -> TARGET_MOVED;
                case FAILED ->
                    Result.blocked(
                            branch,
                            "could not move " + target + " of repo " + repoName + " to " + newHead.name() + ": "
                                    + moved.detail());
            };
        }
    }

    /** Why the branch may not be merged for its approval: its head is not the approved commit. */
    private static Optional<String> movedSinceApproval(Request request, String branch, RevCommit branchHead) {
        String approved = request.approvedCommit();
        if (approved == null || approved.equals(branchHead.name())) {
            return Optional.empty();
        }
        String shortApproved = Commits.shortId(approved);
        return Optional.of("branch " + branch + " moved after the approval: its head is " + Commits.shortId(branchHead)
                + ", but " + request.approver() + " approved " + shortApproved + "; merge-bot merges only the approved"
                + " commit, so " + request.crq() + " needs a new approval of " + Commits.shortId(branchHead)
                + " (or the branch back at " + shortApproved + ")");
    }

    /** The earlier move, if the target contains its head (it landed); a head the repo lacks never landed. */
    private static Optional<Move> landedMove(Repository repo, ObjectId targetHead, Optional<Move> move)
            throws IOException {
        if (move.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit moved = walk.parseCommit(ObjectId.fromString(move.get().newHead()));
            return walk.isMergedInto(moved, walk.parseCommit(targetHead)) ? move : Optional.empty();
        } catch (MissingObjectException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The branches whose valid gitcrq name says they carry {@code crq}'s work. */
    private static List<Ref> branchesOf(Repository repo, CrqId crq, BranchNamePolicy names) throws IOException {
        List<Ref> found = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            BranchNameVerdict verdict = names.evaluate(shortName(ref));
            if (verdict.valid()
                    && !verdict.exempt()
                    && CrqId.parse(verdict.crqId()).equals(crq)) {
                found.add(ref);
            }
        }
        return found;
    }

    /**
     * The commit of the target that merged the branch in: a commit reachable from the target whose second (or
     * later) parent is the branch head. A branch whose head merely lies on the target's own line (created
     * there, no commits of its own) has no such commit: it has nothing to merge, rather than being merged. Called
     * only for a branch with no commit ahead of the target, i.e. one whose head the target already contains.
     */
    private static Optional<RevCommit> mergeCommitOf(Repository repo, RevCommit branchHead, RevCommit targetHead)
            throws IOException {
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

    /** The branch's commits that are not on the target ({@code branch ^target}), oldest first, fully parsed. */
    private static List<RevCommit> commitsAhead(Repository repo, RevCommit branchHead, RevCommit targetHead)
            throws IOException {
        List<RevCommit> ahead = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(branchHead));
            walk.markUninteresting(walk.parseCommit(targetHead));
            for (RevCommit commit : walk) {
                ahead.add(commit);
            }
        }
        return ahead;
    }

    private static String shortName(Ref ref) {
        return Repository.shortenRefName(ref.getName());
    }
}
