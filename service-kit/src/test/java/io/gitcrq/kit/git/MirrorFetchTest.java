package io.gitcrq.kit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.kit.secret.SecretRedactor;
import io.gitcrq.testsupport.git.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorFetchTest {

    @TempDir
    Path dir;

    @Test
    void theMirrorHasTheRemotesBranchesExactlyAsTheyAre() throws Exception {
        TestRepository origin = TestRepository.create(dir, "origin");
        origin.git("checkout", "--quiet", "-b", "feature/x");
        String feature = origin.commit("on feature/x");
        origin.push("feature/x");
        Path mirror = dir.resolve("mirrors/origin.git");
        MirrorFetch fetch = new MirrorFetch(mirror, null, SecretRedactor.none(), 30);

        fetch.from(origin.bare().toUri().toString());
        try (Repository repo = Git.open(mirror.toFile()).getRepository()) {
            assertThat(repo.isBare()).isTrue();
            assertThat(repo.exactRef("refs/heads/main").getObjectId().name())
                    .isEqualTo(origin.refInBare("refs/heads/main"));
            assertThat(repo.exactRef("refs/heads/feature/x").getObjectId().name())
                    .isEqualTo(feature);
        }

        // Pruned: a branch deleted on the remote goes from the mirror too.
        origin.inBare("branch", "-D", "feature/x");
        fetch.from(origin.bare().toUri().toString());
        try (Repository repo = Git.open(mirror.toFile()).getRepository()) {
            assertThat(repo.exactRef("refs/heads/feature/x")).isNull();
        }
    }

    @Test
    void aRefLockLeftInTheMirrorByAKilledProcessIsRemovedOnceStaleAndTheBranchUpdated() throws Exception {
        TestRepository origin = TestRepository.create(dir, "origin");
        Path mirror = dir.resolve("mirrors/origin.git");
        MirrorFetch fetch = new MirrorFetch(mirror, null, SecretRedactor.none(), 30);
        String moved = mirrorLockedWhileMainMoves(origin, fetch);
        // As a fetch killed while updating main leaves it, older than any live update holds one.
        Path lock = mirror.resolve("refs/heads/main.lock");
        Files.setLastModifiedTime(
                lock,
                FileTime.from(Instant.now().minus(RefLock.DEFAULT_STALE_AFTER).minusSeconds(1)));

        fetch.from(origin.bare().toUri().toString());

        try (Repository repo = Git.open(mirror.toFile()).getRepository()) {
            assertThat(repo.exactRef("refs/heads/main").getObjectId().name()).isEqualTo(moved);
        }
        assertThat(lock).doesNotExist();
    }

    @Test
    void aBranchTheFetchCannotUpdateFailsTheFetchNamingIt() throws Exception {
        TestRepository origin = TestRepository.create(dir, "origin");
        Path mirror = dir.resolve("mirrors/origin.git");
        mirrorLockedWhileMainMoves(origin, new MirrorFetch(mirror, null, SecretRedactor.none(), 30));
        // A lock that does not go away and is not stale yet: the mirror cannot follow, and says so.
        MirrorFetch impatient =
                new MirrorFetch(mirror, null, SecretRedactor.none(), 30, Duration.ofHours(1), Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.from(origin.bare().toUri().toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refs/heads/main")
                .hasMessageContaining("LOCK_FAILURE");
    }

    /** The mirror fetched, then main moved on at the origin while the mirror's main is locked; main's new head. */
    private static String mirrorLockedWhileMainMoves(TestRepository origin, MirrorFetch fetch) throws IOException {
        fetch.from(origin.bare().toUri().toString());
        String moved = origin.commit("main moves on");
        origin.push("main");
        Files.writeString(fetch.mirror().resolve("refs/heads/main.lock"), "");
        return moved;
    }

    @Test
    void aFailedFirstFetchLeavesNoMirrorAndNoSecretInItsMessage() {
        Path mirror = dir.resolve("mirrors/gone.git");
        MirrorFetch fetch = new MirrorFetch(mirror, null, new SecretRedactor(List.of("hunter22")), 5);
        String url = "https://bot:hunter22@127.0.0.1:1/org/app.git";

        assertThatThrownBy(() -> fetch.from(url))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot fetch https://***@127.0.0.1:1/org/app.git: ")
                .hasMessageNotContaining("hunter22");
        assertThat(mirror).doesNotExist();
    }
}
