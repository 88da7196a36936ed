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

    /** Tries of one move whose ref lock was held: each waits for the lock's release, so a few are plenty. */
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
        for (int tried = 1; ; tried++) {
            RefUpdate update = repo.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld);
            update.setNewObjectId(newHead);
            update.setRefLogIdent(bot);
            update.setRefLogMessage(why, false);
            RefUpdate.Result moved = update.update(walk);
            switch (moved) {
                case FAST_FORWARD, NEW, FORCED -> {
                    return MoveResult.of(Move.MOVED);
                }
                case LOCK_FAILURE -> {
                    // Either the target moved (compare-and-swap lost) or another process holds its lock.
                    Ref now = repo.exactRef(ref);
                    if (now == null || !expectedOld.equals(now.getObjectId()) || tried == LOCKED_TRIES) {
                        return MoveResult.of(Move.TARGET_MOVED);
                    }
                    new RefLock(repo.getDirectory().toPath(), ref, staleRefLockAfter).awaitRelease(staleRefLockAfter);
                }
                default -> {
                    return new MoveResult(Move.FAILED, moved.toString());
                }
            }
        }
    }

    @Override
    public String deleteBranch(Repository repo, RevWalk walk, String branch, ObjectId mergedHead) throws IOException {
        return deleteLocally(repo, walk, branch, mergedHead);
    }

    /** Deletes the branch unless it moved since {@code mergedHead} (then it holds new work and is kept). */
    static String deleteLocally(Repository repo, RevWalk walk, String branch, ObjectId mergedHead) throws IOException {
        RefUpdate delete = repo.updateRef(Constants.R_HEADS + branch);
        delete.setExpectedOldObjectId(mergedHead);
        delete.setNewObjectId(ObjectId.zeroId());
        delete.setForceUpdate(true);
        RefUpdate.Result deleted = delete.delete(walk);
        return deleted == RefUpdate.Result.FORCED || deleted == RefUpdate.Result.NO_CHANGE
                ? "deleted branch " + branch
                : "kept branch " + branch + " (" + deleted + "): it moved after the merge or cannot be deleted";
    }
}
