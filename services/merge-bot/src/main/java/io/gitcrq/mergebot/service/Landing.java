package io.gitcrq.mergebot.service;

import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.kit.policy.RepoPolicies;
import java.io.File;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Where a merge lands: the repository merge-bot merges in is either the repository itself (a local one) or a
 * mirror of a remote one, whose target then moves by a push. BranchMerger computes the new head the same way
 * for both; only reading the latest state and moving refs differ.
 */
public interface Landing {

    /** Opens the repository (bare or not) at the directory {@link #prepare()} gave; the caller closes it. */
    static Repository open(File directory) throws IOException {
        File gitDir = RepositoryCache.FileKey.resolve(directory, FS.DETECTED);
        if (gitDir == null) {
            throw new IOException("not a Git repository");
        }
        return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    }

    /** How moving the target went. */
    enum Move {
        /** The target now points at the new head. */
        MOVED,
        /** The target was not where the merge started from (a push raced with it): nothing changed. */
        TARGET_MOVED,
        /** The move was refused or failed for another reason (see the detail). */
        FAILED
    }

    record MoveResult(Move move, String detail) {
        static MoveResult of(Move move) {
            return new MoveResult(move, null);
        }
    }

    /** The repository to merge in, brought up to date with where the branches are now. */
    File prepare() throws IOException;

    /**
     * The gitcrq policy of repository {@code repoName}, read now from {@code repo} (the one {@link #prepare()}
     * gave, opened) when that is the repository itself, else the service-wide policy.
     */
    EffectivePolicy policy(String repoName, Repository repo, RepoPolicies policies);

    /** Moves {@code target} from {@code expectedOld} to {@code newHead}, only if it is still at {@code expectedOld}. */
    MoveResult moveTarget(
            Repository repo,
            RevWalk walk,
            String target,
            ObjectId expectedOld,
            ObjectId newHead,
            PersonIdent bot,
            String why)
            throws IOException;

    /** Deletes a merged branch unless it moved since {@code mergedHead}; says what it did. */
    String deleteBranch(Repository repo, RevWalk walk, String branch, ObjectId mergedHead) throws IOException;
}
