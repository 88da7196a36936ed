package io.gitcrq.mergebot.service;

import io.gitcrq.kit.git.RefLock;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.kit.policy.RepoPolicies;
import io.gitcrq.model.policy.RepoPolicy;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A merge into a repository on this machine: refs move by compare-and-swap in the repository itself, so a
 * push racing with the merge is never overwritten. A ref whose lock is held is waited for, and its lock removed
 * once older than {@code staleRefLockAfter} ({@link RefLock}): a process killed while updating the target must not
 * block every merge after it.
 */
public record LocalLanding(File directory, Duration staleRefLockAfter) implements Landing {

    /** Tries of one ref update (a move, a deletion) whose ref lock was held: each waits for its release, so a few do. */
    private static final int LOCKED_TRIES = 5;

    @Override
    public File prepare() {
        return directory;
    }

    /** The repository's own git config (section {@code gitcrq}) over the service-wide policy, as git-watcher reads it. */
    @Override
    public EffectivePolicy policy(String repoName, Repository repo, RepoPolicies policies) {
        Config config = repo.getConfig(); // reloaded when the file changed: a git config change applies at once
        return policies.ofRepository(
                repoName, config.getNames(RepoPolicy.SECTION), key -> config.getString(RepoPolicy.SECTION, null, key));
    }

    @Override
    public MoveResult moveTarget(
            Repository repo,
            RevWalk walk,
            String target,
            ObjectId expectedOld,
            ObjectId newHead,
            PersonIdent bot,
            String why)
            throws IOException {
        String ref = Constants.R_HEADS + target;
        RefUpdate.Result moved = awaitingLock(repo, ref, expectedOld, () -> {
            RefUpdate update = repo.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld);
            update.setNewObjectId(newHead);
            update.setRefLogIdent(bot);
            update.setRefLogMessage(why, false);
            return update.update(walk);
        });
        return switch (moved) {
            case FAST_FORWARD, NEW, FORCED -> MoveResult.of(Move.MOVED);
            // The target moved (compare-and-swap lost), or its lock stayed held through every try.
            case LOCK_FAILURE -> MoveResult.of(Move.TARGET_MOVED);
            default -> new MoveResult(Move.FAILED, moved.toString());
        };
    }

    /** Deletes the branch unless it moved since {@code mergedHead} (then it holds new work and is kept). */
    @Override
    public String deleteBranch(Repository repo, RevWalk walk, String branch, ObjectId mergedHead) throws IOException {
        String ref = Constants.R_HEADS + branch;
        RefUpdate.Result deleted = awaitingLock(repo, ref, mergedHead, () -> {
            RefUpdate delete = repo.updateRef(ref);
            delete.setExpectedOldObjectId(mergedHead);
            delete.setNewObjectId(ObjectId.zeroId());
            delete.setForceUpdate(true);
            return delete.delete(walk);
        });
        return deleted == RefUpdate.Result.FORCED || deleted == RefUpdate.Result.NO_CHANGE
                ? "deleted branch " + branch
                : "kept branch " + branch + " (" + deleted + "): it moved after the merge or cannot be deleted";
    }

    /**
     * Runs a compare-and-swap of {@code ref} from {@code expectedOld}; while it fails on the ref's lock held by another
     * process and the ref still is at {@code expectedOld}, waits for the lock's release (removing a stale one) and
     * tries again, {@value #LOCKED_TRIES} tries at most. What the last try returned.
     */
    private RefUpdate.Result awaitingLock(Repository repo, String ref, ObjectId expectedOld, RefAttempt attempt)
            throws IOException {
        for (int tried = 1; ; tried++) {
            RefUpdate.Result result = attempt.run();
            if (result != RefUpdate.Result.LOCK_FAILURE || tried == LOCKED_TRIES) {
                return result;
            }
            Ref now = repo.exactRef(ref);
            if (now == null || !expectedOld.equals(now.getObjectId())) {
                return result; // the ref moved: the swap is lost, not to be tried again
            }
            new RefLock(repo.getDirectory().toPath(), ref, staleRefLockAfter).awaitRelease(staleRefLockAfter);
        }
    }

    /** One try of a ref update. */
    @FunctionalInterface
    private interface RefAttempt {
        RefUpdate.Result run() throws IOException;
    }
}
