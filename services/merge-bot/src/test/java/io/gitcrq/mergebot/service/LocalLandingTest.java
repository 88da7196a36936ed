package io.gitcrq.mergebot.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.testsupport.git.HeldRefLock;
import io.gitcrq.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a merged branch in a repository on this machine (a bare one, as merge-bot lands in), as
 * {@link LocalLanding} does.
 */
class LocalLandingTest {

    private static final String BRANCH = "feature/CRQ-7-lock";
    private static final String REF = "refs/heads/" + BRANCH;

    @TempDir
    Path root;

    private TestRepository repository;
    private ObjectId merged;

    @BeforeEach
    void branchPushed() {
        repository = TestRepository.create(root, "demo");
        repository.git("checkout", "--quiet", "-b", BRANCH);
        merged = ObjectId.fromString(repository.commitFile("a.txt", "a\n", "CRQ-7: a"));
        repository.push(BRANCH);
    }

    @Test
    void aBranchWhoseLockALiveUpdateHoldsIsDeletedOnceTheLockIsReleased() throws Exception {
        String outcome;
        try (HeldRefLock held = HeldRefLock.hold(lockOf(REF), merged.name() + "\n", Duration.ofSeconds(1))) {
            outcome = delete();
        }

        assertThat(outcome).isEqualTo("deleted branch " + BRANCH);
        assertThat(repository.inBare("for-each-ref", REF)).isEmpty();
    }

    @Test
    void aLockLeftByADeadProcessIsRemovedAndTheBranchDeleted() throws Exception {
        Path lock = lockOf(REF);
        Files.writeString(lock, merged.name() + "\n");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(31)));

        assertThat(delete()).isEqualTo("deleted branch " + BRANCH);
        assertThat(lock).doesNotExist();
        assertThat(repository.inBare("for-each-ref", REF)).isEmpty();
    }

    @Test
    void aBranchThatMovedAfterTheMergeIsKept() throws Exception {
        String newWork = repository.commitFile("b.txt", "new work\n", "CRQ-7: more work");
        repository.push(BRANCH);

        assertThat(delete()).startsWith("kept branch " + BRANCH);
        assertThat(repository.refInBare(REF)).isEqualTo(newWork);
    }

    /** Takes the branch's ref lock in the bare repository as git does while it updates the ref. */
    private Path lockOf(String ref) {
        return repository.bare().resolve(ref + ".lock");
    }

    private String delete() throws Exception {
        try (Repository bare = new FileRepositoryBuilder()
                        .setGitDir(repository.bare().toFile())
                        .build();
                RevWalk walk = new RevWalk(bare)) {
            return new LocalLanding(repository.bare().toFile(), Duration.ofSeconds(30))
                    .deleteBranch(bare, walk, BRANCH, merged);
        }
    }
}
