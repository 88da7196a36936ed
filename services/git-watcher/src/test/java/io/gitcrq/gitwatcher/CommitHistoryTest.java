package io.gitcrq.gitwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.gitwatcher.git.CommitHistory;
import io.gitcrq.gitwatcher.git.GitCommit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming whole-history walk against the ordered one, on a real repository made by git. */
class CommitHistoryTest {

    private static final int LINEAR = 1300; // more than two of the reader's batches

    @TempDir
    static Path root;

    static Path bare;
    static String middle;

    @BeforeAll
    static void makeHistory() {
        TestRepo repo = TestRepo.create(root, "history");
        StringBuilder stream = new StringBuilder();
        for (int i = 1; i <= LINEAR; i++) {
            String message = i % 3 == 0 ? "CRQ-" + i + ": change " + i : "change " + i + "\n\nwith a body, ünïcode";
            byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            stream.append("commit refs/heads/main\nmark :")
                    .append(i)
                    .append('\n')
                    .append("author Ann Author <ann@example.com> ")
                    .append(1_700_000_000L + i)
                    .append(" +0200\n")
                    .append("committer Cid Committer <cid@example.com> ")
                    .append(1_700_000_100L + i)
                    .append(" -0500\n")
                    .append("data ")
                    .append(bytes.length)
                    .append('\n')
                    .append(message)
                    .append('\n');
            if (i == 1) {
                stream.append("from refs/heads/main^0\n");
            }
        }
        TestRepo.gitWithInput(repo.work, stream.toString(), "fast-import", "--quiet");
        middle = repo.git("rev-parse", "main~" + (LINEAR / 2));
        // A side branch merged back: a commit with two parents.
        repo.git("checkout", "-b", "side", "main~10");
        repo.commit("CRQ-9: on the side");
        repo.git("checkout", "main");
        repo.git("merge", "--no-ff", "-m", "Merge side", "side");
        repo.push("main");
        bare = repo.bare;
    }

    @Test
    void streamingFindsExactlyWhatTheOrderedWalkFindsWithEveryField() throws Exception {
        try (Repository git = open()) {
            ObjectId head = git.resolve("refs/heads/main");
            assertThat(commits(git, head, List.of(), true))
                    .hasSize(LINEAR + 3)
                    .isEqualTo(commits(git, head, List.of(), false));
            List<ObjectId> known = List.of(ObjectId.fromString(middle));
            Set<GitCommit> sinceMiddle = commits(git, head, known, true);
            assertThat(sinceMiddle).hasSize(LINEAR / 2 + 2).isEqualTo(commits(git, head, known, false));
            GitCommit merge = sinceMiddle.stream()
                    .filter(c -> c.message().startsWith("Merge side"))
                    .findFirst()
                    .orElseThrow();
            assertThat(merge.parents()).hasSize(2);
            GitCommit unicode = sinceMiddle.stream()
                    .filter(c -> c.message().contains("ünïcode"))
                    .findFirst()
                    .orElseThrow();
            assertThat(unicode.author().name()).isEqualTo("Ann Author");
            assertThat(unicode.committer().email()).isEqualTo("cid@example.com");
        }
    }

    @Test
    void aConsumerThatFailsStopsTheWalkAndItsThread() throws Exception {
        try (Repository git = open()) {
            ObjectId head = git.resolve("refs/heads/main");
            List<GitCommit> seen = new ArrayList<>();
            assertThatThrownBy(() -> CommitHistory.forEachCommit(git, head, List.of(), commit -> {
                        seen.add(commit);
                        if (seen.size() == 10) {
                            throw new IllegalStateException("consumer gave up");
                        }
                    }))
                    .hasMessage("consumer gave up");
            assertThat(seen).hasSize(10);
            assertThat(Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().startsWith("git-history-reader-") && t.isAlive()))
                    .isEmpty();
        }
    }

    private static Set<GitCommit> commits(Repository git, ObjectId head, List<ObjectId> known, boolean streaming) {
        Set<GitCommit> found = new HashSet<>();
        if (streaming) {
            CommitHistory.forEachCommit(git, head, known, found::add);
        } else {
            CommitHistory.forEachNewCommit(git, head, known, found::add);
        }
        return found;
    }

    private static Repository open() throws Exception {
        return new FileRepositoryBuilder()
                .setGitDir(bare.toFile())
                .setMustExist(true)
                .build();
    }
}
