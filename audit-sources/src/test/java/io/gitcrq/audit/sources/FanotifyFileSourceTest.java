package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code file} source with fanotify, on the real kernel: each change carries the process that made it (a shell,
 * its child, a program it ran), what was made in a new directory before it was watched is still reported, and where
 * fanotify cannot run the source says why and watches with inotifywait.
 */
@Timeout(180)
class FanotifyFileSourceTest {

    @TempDir
    Path dir;

    @Test
    void eachChangeNamesTheProcessThatMadeIt() throws Exception {
        assertThat(FileSource.fanotifyUnavailable())
                .as("this host must run the fanotify file source (root, and gitcrq-filetrace in the build)")
                .isEmpty();
        Path root = Files.createDirectory(dir.resolve("watched")).toRealPath();
        Recorder rec = new Recorder();
        FileSource source = new FileSource(1000, 1024, FileSource.Mechanism.FANOTIFY);
        Process shell;
        SourceCounters counters;
        try {
            source.start(AuditTarget.directories(root), rec);
            assertThat(source.mechanism()).isEqualTo("fanotify");
            // each child writes its pid outside the watched tree, then becomes the program that makes the change
            shell = new ProcessBuilder(
                            "bash",
                            "-c",
                            "set -e\n"
                                    + "echo by-the-shell > a.txt\n"
                                    + "sh -c 'echo $$ > ../child.pid; echo by-a-child > b.txt'\n"
                                    + "sh -c 'echo $$ > ../mv.pid; exec mv b.txt c.txt'\n"
                                    + "mkdir -p new/deeper\n"
                                    + "sleep 0.5\n"
                                    + "echo deep > new/deeper/f.txt\n"
                                    + "sh -c 'echo $$ > ../rm.pid; exec rm c.txt'\n")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(shell.exitValue()).as(output).isZero();
        } finally {
            counters = source.stop();
        }
        Summaries.check(rec, "file", counters);
        assertThat(rec.summary("file").payload())
                .containsEntry("mechanism", "fanotify")
                .containsEntry("dropped", 0L)
                .doesNotContainKey("note");
        long shellPid = shell.pid();
        List<Map<String, Object>> changes =
                rec.of("file").stream().map(AuditRecord::payload).toList();
        assertThat(change(changes, "created", root.resolve("a.txt")))
                .containsEntry("pid", shellPid)
                .containsEntry("sha256", FileSourceTest.sha("by-the-shell\n"));
        // (not its hash: mv may have taken it away before the source read it, as with inotifywait)
        assertThat(change(changes, "created", root.resolve("b.txt"))).containsEntry("pid", pidIn("child.pid"));
        assertThat(change(changes, "renamed", root.resolve("c.txt")))
                .containsEntry("from", root.resolve("b.txt").toString())
                .containsEntry("pid", pidIn("mv.pid"));
        assertThat(change(changes, "deleted", root.resolve("c.txt"))).containsEntry("pid", pidIn("rm.pid"));
        // mkdir -p made "deeper" before its parent was watched: found when the parent was, so still reported
        assertThat(change(changes, "created", root.resolve("new"))).containsEntry("isDir", true);
        assertThat(change(changes, "created", root.resolve("new/deeper"))).containsEntry("isDir", true);
        assertThat(change(changes, "created", root.resolve("new/deeper/f.txt")))
                .containsEntry("pid", shellPid)
                .containsEntry("sha256", FileSourceTest.sha("deep\n"));
        assertThat(changes).allSatisfy(c -> assertThat(c).containsEntry("mechanism", "fanotify"));
    }

    /**
     * A file name is data: one holding a line feed and what looks like another change stays one change, with either
     * tool.
     */
    @ParameterizedTest
    @EnumSource(
            value = FileSource.Mechanism.class,
            names = {"FANOTIFY", "INOTIFYWAIT"})
    void aNameWithALineFeedIsOneChangeNotTwo(FileSource.Mechanism mechanism) throws Exception {
        Path root = Files.createDirectory(dir.resolve("watched")).toRealPath();
        // (a name holds no slash: the line it would forge names a relative path, which is a record all the same)
        Path odd = root.resolve("x\n1|0|DELETE|a.txt\\x41");
        Recorder rec = new Recorder();
        FileSource source = new FileSource(1000, 1024, mechanism);
        SourceCounters counters;
        try {
            source.start(AuditTarget.directories(root), rec);
            assertThat(source.mechanism()).isEqualTo(mechanism.label());
            Files.writeString(odd, "odd\n");
        } finally {
            counters = source.stop();
        }
        Summaries.check(rec, "file", counters);
        List<Map<String, Object>> changes =
                rec.of("file").stream().map(AuditRecord::payload).toList();
        assertThat(change(changes, "created", odd)).containsEntry("sha256", FileSourceTest.sha("odd\n"));
        assertThat(changes).hasSize(1);
        assertThat(rec.summary("file").payload()).containsEntry("dropped", 0L);
    }

    @Test
    void whereFanotifyCannotWatchTheSourceSaysWhyAndUsesInotifywait() throws Exception {
        Path procfs = Path.of("/proc/sys"); // a file system without file handles, which fanotify reports by
        Recorder rec = new Recorder();
        FileSource source = new FileSource(1000, 1024, FileSource.Mechanism.FANOTIFY);
        SourceCounters counters;
        try {
            source.start(AuditTarget.directories(procfs), rec);
            assertThat(source.mechanism()).isEqualTo("inotifywait");
        } finally {
            counters = source.stop();
        }
        Summaries.checkCounts(rec, "file", counters);
        assertThat(rec.summary("file").payload())
                .containsEntry("mechanism", "inotifywait")
                .hasEntrySatisfying(
                        "note",
                        note -> assertThat(note.toString())
                                .startsWith("fanotify not used (fanotify did not establish its watches: ")
                                .contains("cannot watch /proc/sys with fanotify: Operation not supported")
                                .endsWith("): changes carry no pid"));
    }

    /** Without the privilege fanotify needs to name other processes, gitcrq-filetrace ends at once and says so. */
    @Test
    void withoutThePrivilegeTheProgramSaysWhyAndEnds() throws Exception {
        ToolProcess.Outcome run = AsNobody.run(dir, BundledProgram.FILETRACE, dir.toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("cannot report other processes' pids: Operation not permitted (CAP_SYS_ADMIN needed)")
                .doesNotContain("Watches established");
    }

    private long pidIn(String file) throws Exception {
        return Long.parseLong(Files.readString(dir.resolve(file)).strip());
    }

    private static Map<String, Object> change(List<Map<String, Object>> changes, String op, Path path) {
        return changes.stream()
                .filter(c -> op.equals(c.get("op")) && path.toString().equals(c.get("path")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + op + " " + path + " in " + changes));
    }
}
