package io.gitcrq.mergebot.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a merged branch in a repository on this machine, as {@link LocalLanding} does after a merge. */
class LocalLandingTest {

    private static final String BRANCH = "feature/CRQ-7-lock";
    private static final PersonIdent ALICE = new PersonIdent("Alice", "alice@example.com");

    @TempDir
    Path dir;

    private final LocalLanding landing = new LocalLanding(null, Duration.ofSeconds(30));

    @Test
    void aBranchWhoseLockALiveUpdateHoldsIsDeletedOnceTheLockIsReleased() throws Exception {
        try (Git git = repositoryWithBranch()) {
            ObjectId merged = head(git);
            Path lock = takeLock(git);
            Thread holder = new Thread(() -> {
                try {
                    Thread.sleep(1_000);
                    Files.delete(lock);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.start();

            String outcome = delete(git, merged);
            holder.join();

            assertThat(outcome).isEqualTo("deleted branch " + BRANCH);
            assertThat(git.getRepository().exactRef("refs/heads/" + BRANCH)).isNull();
        }
    }

    @Test
    void aLockLeftByADeadProcessIsRemovedAndTheBranchDeleted() throws Exception {
        try (Git git = repositoryWithBranch()) {
            ObjectId merged = head(git);
            Path lock = takeLock(git);
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(31)));

            assertThat(delete(git, merged)).isEqualTo("deleted branch " + BRANCH);
            assertThat(lock).doesNotExist();
            assertThat(git.getRepository().exactRef("refs/heads/" + BRANCH)).isNull();
        }
    }

    @Test
    void aBranchThatMovedAfterTheMergeIsKept() throws Exception {
        try (Git git = repositoryWithBranch()) {
            ObjectId merged = head(git);
            git.checkout().setName(BRANCH).call();
            Files.writeString(dir.resolve("b.txt"), "new work\n");
            git.add().addFilepattern("b.txt").call();
            ObjectId newWork = git.commit()
                    .setMessage("CRQ-7: more work")
                    .setAuthor(ALICE)
                    .setCommitter(ALICE)
                    .call();

            assertThat(delete(git, merged)).startsWith("kept branch " + BRANCH);
            assertThat(git.getRepository().exactRef("refs/heads/" + BRANCH).getObjectId())
                    .isEqualTo(newWork);
        }
    }

    private Git repositoryWithBranch() throws Exception {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        Files.writeString(dir.resolve("a.txt"), "a\n");
        git.add().addFilepattern("a.txt").call();
        git.commit().setMessage("CRQ-7: a").setAuthor(ALICE).setCommitter(ALICE).call();
        git.branchCreate().setName(BRANCH).call();
        return git;
    }

    private static ObjectId head(Git git) throws Exception {
        return git.getRepository().exactRef("refs/heads/" + BRANCH).getObjectId();
    }

    /** Takes the branch's ref lock as git does while it updates the ref: the lock file holds the new id. */
    private static Path takeLock(Git git) throws Exception {
        Path lock = git.getRepository().getDirectory().toPath().resolve("refs/heads/" + BRANCH + ".lock");
        Files.writeString(lock, head(git).name() + "\n");
        return lock;
    }

    private String delete(Git git, ObjectId merged) throws Exception {
        Repository repo = git.getRepository();
        try (RevWalk walk = new RevWalk(repo)) {
            return landing.deleteBranch(repo, walk, BRANCH, merged);
        }
    }
}
