package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracing sources account for every event of a command whose events are known: {@code seen = captured + dropped}
 * and equal to what the command did, and every captured event is in a record. Drops are printed, not forbidden: on a
 * loaded machine a source may drop, but never without counting it.
 */
@Timeout(120)
class CountersEquationTest {

    private static final int CHILDREN = 300;
    private static final int RUNS = 3;

    /** A bash that starts {@code CHILDREN} /bin/true one after the other: 1 + CHILDREN execs, as many exits. */
    private static final List<String> COMMAND = List.of(
            "/bin/bash", "-c", "i=0; while [ $i -lt " + CHILDREN + " ]; do /bin/true; i=$((i+1)); done; exit 7");

    @TempDir
    Path dir;

    /** Runs {@link #COMMAND} under a followed source's strace, as exec-agent's pane does; stops the source. */
    private SourceCounters runFollowed(String kind, Path output, Recorder rec) throws Exception {
        StraceFollowing src = AuditSources.following(kind, output, dir);
        Process cmd = null;
        try {
            src.start(AuditTarget.none(), rec);
            List<String> program = new ArrayList<>(src.straceCommand());
            program.addAll(COMMAND);
            cmd = new ProcessBuilder(program)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(cmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            src.stop();
            if (cmd != null && cmd.isAlive()) {
                cmd.destroyForcibly();
            }
        }
        assertThat(cmd.exitValue()).isEqualTo(7);
        return src.stop(); // stopped: its final counters
    }

    private static void assumeFollowing() {
        Assumptions.assumeTrue(
                AuditSources.followUnavailable().isEmpty(),
                () -> "cannot follow here: " + AuditSources.followUnavailable().orElse(""));
    }

    @Test
    void theProcessSourceCountsEveryExecAndExitOfTheTree() throws Exception {
        assumeFollowing();
        long events = 2L * (1 + CHILDREN);
        for (int run = 1; run <= RUNS; run++) {
            Recorder rec = new Recorder();
            SourceCounters c = runFollowed("process", dir.resolve("process-" + run + ".strace"), rec);
            System.out.printf("process source run %d: %s%n", run, c);
            Summaries.check(rec, "process", c);
            assertThat(c.seen()).as("run %d: seen", run).isEqualTo(events);
            assertThat(c.captured() + c.dropped())
                    .as("run %d: captured + dropped", run)
                    .isEqualTo(events);
            assertThat(rec.of("process")).as("run %d: records", run).hasSize((int) c.captured());
            assertThat(c.fellBehind()).isFalse();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSyscallSourceCountsEveryCallItSummarisesAndEveryProcess() throws Exception {
        assumeFollowing();
        for (int run = 1; run <= RUNS; run++) {
            Recorder rec = new Recorder();
            SourceCounters c = runFollowed("syscall", dir.resolve("syscall-" + run + ".strace"), rec);
            System.out.printf("syscall source run %d: %s%n", run, c);
            Summaries.check(rec, "syscall", c);
            long inRecords = rec.of("syscall").stream()
                    .mapToLong(r -> ((Map<String, Long>) r.payload().get("syscalls"))
                            .values().stream().mapToLong(Long::longValue).sum())
                    .sum();
            assertThat(inRecords + c.dropped())
                    .as("run %d: the calls in the records and those dropped are all that were seen", run)
                    .isEqualTo(c.seen());
            assertThat(inRecords)
                    .as("run %d: the calls in the records are the captured", run)
                    .isEqualTo(c.captured());
            assertThat(rec.of("syscall"))
                    .as("run %d: each child's process, once, with its one exec and its exit", run)
                    .filteredOn(r -> List.of("/bin/true").equals(r.payload().get("args")))
                    .hasSize(CHILDREN)
                    .allSatisfy(r -> {
                        assertThat(r.payload()).containsEntry("exitCode", 0);
                        assertThat((Map<String, Long>) r.payload().get("syscalls"))
                                .containsEntry("execve", 1L);
                    });
            assertThat(c.fellBehind()).isFalse();
        }
    }
}
