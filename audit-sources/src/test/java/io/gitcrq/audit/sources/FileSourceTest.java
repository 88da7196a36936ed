package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FileSourceTest {

    @TempDir
    Path dir;

    static String sha(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void run(Path cwd, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script)
                .directory(cwd.toFile())
                .inheritIO()
                .start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void inotifywaitReportsCreateModifyRenameDeleteWithHashes() throws Exception {
        Assumptions.assumeTrue(
                ToolProcess.which("inotifywait").isPresent(),
                "inotifywait missing: install Debian package inotify-tools");
        Path root = dir.toRealPath();
        Recorder rec = new Recorder();
        FileSource src = new FileSource(1000, 64, true);
        SourceCounters c;
        try {
            src.start(AuditTarget.directories(root), rec);
            assertThat(src.mechanism()).isEqualTo("inotifywait");
            // the hash is taken when the event is processed, so the script pauses between writes of one file
            run(
                    root,
                    "echo hello > a.txt; sleep 0.2; echo more >> a.txt; mkdir sub; sleep 0.3; echo deep > sub/b.txt;"
                            + " sleep 0.2; mv a.txt sub/c.txt; rm sub/b.txt; head -c 200 /dev/zero > big.bin");
            assertThat(rec.awaitAny(
                            r -> r.payload().get("path").toString().endsWith("big.bin"), Duration.ofSeconds(10)))
                    .as(rec.toString())
                    .isTrue();
        } finally {
            c = src.stop();
        }
        Summaries.check(rec, "file", c);
        assertThat(rec.summary("file").payload())
                .containsEntry("dropped", 0L)
                .containsEntry("mechanism", "inotifywait");
        String a = root.resolve("a.txt").toString();
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", a)
                        .containsEntry("sha256", sha("hello\n"))
                        .containsEntry("size", 6L));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "modified")
                        .containsEntry("path", a)
                        .containsEntry("sha256", sha("hello\nmore\n")));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", root.resolve("sub").toString())
                        .containsEntry("isDir", true));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", root.resolve("sub/b.txt").toString())
                        .containsEntry("sha256", sha("deep\n")));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "renamed")
                        .containsEntry("from", a)
                        .containsEntry("path", root.resolve("sub/c.txt").toString())
                        .containsEntry("sha256", sha("hello\nmore\n")));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "deleted")
                        .containsEntry("path", root.resolve("sub/b.txt").toString()));
        // bigger than the 64-byte limit: hashed up to the limit and marked
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", root.resolve("big.bin").toString())
                        .containsEntry("size", 200L)
                        .containsEntry("hashedBytes", 64L)
                        .containsEntry("hashTruncated", true)
                        .containsEntry("sha256", sha("\0".repeat(64))));
        assertThat(rec.of("file"))
                .noneSatisfy(r ->
                        assertThat(r.payload()).containsEntry("op", "deleted").containsEntry("path", a));
    }

    @Test
    void watchServiceFallbackReportsRenameAsDeleteAndCreate() throws Exception {
        Path root = dir.toRealPath();
        Recorder rec = new Recorder();
        FileSource src = new FileSource(1000, 1024, false);
        SourceCounters c;
        try {
            src.start(AuditTarget.directories(root), rec);
            assertThat(src.mechanism()).isEqualTo("watchservice");
            Files.writeString(root.resolve("x.txt"), "one\n");
            String one = sha("one\n");
            assertThat(rec.awaitAny(r -> one.equals(r.payload().get("sha256")), Duration.ofSeconds(20)))
                    .as(rec.toString())
                    .isTrue();
            Files.move(root.resolve("x.txt"), root.resolve("y.txt"));
            assertThat(rec.awaitAny(r -> "deleted".equals(r.payload().get("op")), Duration.ofSeconds(20)))
                    .as(rec.toString())
                    .isTrue();
        } finally {
            c = src.stop();
        }
        Summaries.check(rec, "file", c);
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "deleted")
                        .containsEntry("path", root.resolve("x.txt").toString()));
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", root.resolve("y.txt").toString())
                        .containsEntry("sha256", sha("one\n")));
        assertThat(rec.summary("file").payload()).containsEntry("mechanism", "watchservice");
    }
}
