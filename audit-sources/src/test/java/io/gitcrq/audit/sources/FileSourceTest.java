package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.audit.SourceSummary;
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

    private static void awaitChange(Recorder rec, String op, String path) throws InterruptedException {
        assertThat(rec.awaitAny(
                        r -> op.equals(r.payload().get("op"))
                                && path.equals(r.payload().get("path")),
                        Duration.ofSeconds(30)))
                .as(rec.toString())
                .isTrue();
    }

    @Test
    void inotifywaitReportsCreateModifyRenameDeleteWithHashes() throws Exception {
        Assumptions.assumeTrue(
                ToolProcess.which("inotifywait").isPresent(),
                "inotifywait missing: install Debian package inotify-tools");
        Path root = dir.toRealPath();
        Recorder rec = new Recorder();
        FileSource src = new FileSource(1000, 64, FileSource.Mechanism.INOTIFYWAIT);
        SourceCounters c;
        try {
            src.start(AuditTarget.directories(root), rec);
            assertThat(src.mechanism()).isEqualTo("inotifywait");
            // the hash is taken when the event is processed, so each step waits until the source reported the last
            // (a loaded machine once took more than the 0.2 s pauses this waited before)
            String a = root.resolve("a.txt").toString();
            run(root, "echo hello > a.txt");
            awaitChange(rec, "created", a);
            run(root, "echo more >> a.txt");
            awaitChange(rec, "modified", a);
            run(root, "mkdir sub; sleep 0.3");
            awaitChange(rec, "created", root.resolve("sub").toString());
            run(root, "echo deep > sub/b.txt");
            awaitChange(rec, "created", root.resolve("sub/b.txt").toString());
            run(root, "mv a.txt sub/c.txt; rm sub/b.txt; head -c 200 /dev/zero > big.bin");
            awaitChange(rec, "created", root.resolve("big.bin").toString());
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
        FileSource src = new FileSource(1000, 1024, FileSource.Mechanism.WATCHSERVICE);
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

    private static final int WRITES = 1_000;

    /** {@code WRITES} files written and closed in {@code root}: each one change the source must account for. */
    private static void writeFiles(Path root) throws Exception {
        for (int i = 0; i < WRITES; i++) {
            Files.writeString(root.resolve("f" + i + ".txt"), "content " + i + "\n");
        }
    }

    /** The counters and summary of one run say: every write seen, each captured (a record) or dropped. */
    private static void assertAccountedFor(String run, Recorder rec, SourceCounters c) {
        System.out.printf("file source %s: %s%n", run, c);
        Summaries.checkCounts(rec, "file", c);
        assertThat(c.seen()).as(run + ": seen").isEqualTo(WRITES);
        assertThat(c.captured() + c.dropped()).as(run + ": captured + dropped").isEqualTo(WRITES);
        assertThat(rec.of("file")).as(run + ": records").hasSize((int) c.captured());
        assertThat(c.droppedBy().values().stream().mapToLong(Long::longValue).sum())
                .as(run + ": drops by reason")
                .isEqualTo(c.dropped());
        assertThat(rec.of("file"))
                .as(run + ": the drain marker is never reported")
                .noneSatisfy(r -> assertThat(r.payload().get("path").toString()).contains(FileSource.MARKER_PREFIX));
    }

    @Test
    void everyOneOfAThousandWritesIsCountedInEachOfTwentyRuns() throws Exception {
        Assumptions.assumeTrue(
                ToolProcess.which("inotifywait").isPresent(),
                "inotifywait missing: install Debian package inotify-tools");
        long t0 = System.nanoTime();
        for (int run = 1; run <= 20; run++) {
            Path root = Files.createDirectory(dir.resolve("run" + run)).toRealPath();
            Recorder rec = new Recorder();
            FileSource src = new FileSource();
            SourceCounters c;
            try {
                src.start(AuditTarget.directories(root), rec);
                writeFiles(root);
            } finally {
                c = src.stop();
            }
            assertAccountedFor("run " + run, rec, c);
            assertThat(c.fellBehind()).as("run %d fell behind", run).isFalse();
            assertThat(Files.list(root).filter(p -> p.getFileName().toString().startsWith(FileSource.MARKER_PREFIX)))
                    .as("the drain marker is removed")
                    .isEmpty();
        }
        System.out.printf(
                "file source: 20 runs of %d writes in %d ms%n",
                WRITES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Test
    void pastTheDrainTimeoutTheRestIsCountedAsNotDrainedAndTheSourceFellBehind() throws Exception {
        Assumptions.assumeTrue(
                ToolProcess.which("inotifywait").isPresent(),
                "inotifywait missing: install Debian package inotify-tools");
        Path root = Files.createDirectory(dir.resolve("behind")).toRealPath();
        Recorder rec = new Recorder();
        FileSource src = new FileSource(
                FileSource.DEFAULT_QUEUE_CAPACITY, 1024, FileSource.Mechanism.INOTIFYWAIT, Duration.ofMillis(300));
        SourceCounters c;
        Thread resume = null;
        try {
            src.start(AuditTarget.directories(root), rec);
            // the tool paused: the writes wait in the kernel's queue, and nothing is reported within the bound
            signal("STOP", src.toolPid());
            writeFiles(root);
            long pid = src.toolPid();
            resume = new Thread(() -> {
                try {
                    Thread.sleep(1_500);
                    signal("CONT", pid);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            resume.start();
        } finally {
            c = src.stop();
            if (resume != null) {
                resume.join();
            }
        }
        assertAccountedFor("tool paused past the drain bound", rec, c);
        assertThat(c.fellBehind()).isTrue();
        assertThat(rec.summary("file").payload()).containsEntry("fellBehind", true);
        assertThat(c.captured()).isZero();
        assertThat(c.dropped(SourceSummary.NOT_DRAINED)).isEqualTo(WRITES);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void watchServiceFallbackDrainsToItsMarkerToo() throws Exception {
        Path root = Files.createDirectory(dir.resolve("ws")).toRealPath();
        Recorder rec = new Recorder();
        FileSource src = new FileSource(FileSource.DEFAULT_QUEUE_CAPACITY, 1024, FileSource.Mechanism.WATCHSERVICE);
        SourceCounters c;
        try {
            src.start(AuditTarget.directories(root), rec);
            Files.writeString(root.resolve("one.txt"), "one\n");
        } finally {
            c = src.stop();
        }
        System.out.printf("file source (watchservice): %s%n", c);
        Summaries.check(rec, "file", c);
        assertThat(c.fellBehind()).isFalse();
        assertThat(rec.of("file"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("op", "created")
                        .containsEntry("path", root.resolve("one.txt").toString()));
        assertThat(rec.of("file"))
                .noneSatisfy(r -> assertThat(r.payload().get("path").toString()).contains(FileSource.MARKER_PREFIX));
    }
}
