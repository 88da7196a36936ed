package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProcessTreeSourceTest {

    @TempDir
    Path dir;

    @Test
    void execAndExitOfTheTreeWithArgsAndExitCode() throws Exception {
        // the command waits for a line on stdin, so strace is attached before the child is spawned
        Process cmd = new ProcessBuilder("bash", "-c", "read x; sh -c \"exit 3\"; sh -c 'kill -TERM $$'; true")
                .directory(dir.toFile())
                .start();
        Recorder rec = new Recorder();
        ProcessTreeSource src = new ProcessTreeSource();
        SourceCounters c;
        try {
            src.start(AuditTarget.pid(cmd.pid()), rec);
            try (OutputStream in = cmd.getOutputStream()) {
                in.write('\n');
            }
            assertThat(cmd.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(rec.awaitAny(
                            r -> "exit".equals(r.payload().get("event"))
                                    && Long.valueOf(cmd.pid())
                                            .equals(r.payload().get("pid")),
                            Duration.ofSeconds(10)))
                    .as(rec.toString())
                    .isTrue();
        } finally {
            c = src.stop();
            cmd.destroyForcibly();
        }
        Summaries.check(rec, "process", c);
        AuditRecord exec = rec.of("process").stream()
                .filter(r -> "exec".equals(r.payload().get("event")))
                .filter(r -> List.of("sh", "-c", "exit 3").equals(r.payload().get("args")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(rec.toString()));
        long child = (Long) exec.payload().get("pid");
        assertThat(exec.payload())
                .containsEntry("ppid", cmd.pid())
                .containsEntry("cwd", dir.toRealPath().toString());
        assertThat((String) exec.payload().get("path")).endsWith("sh");
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", child)
                        .containsEntry("exitCode", 3)
                        .containsEntry("ppid", cmd.pid()));
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", cmd.pid())
                        .containsEntry("exitCode", 0));
        // a process killed by a signal: its exit names the signal
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("signal", "SIGTERM")
                        .containsEntry("args", List.of("sh", "-c", "kill -TERM $$")));
        assertThat(rec.summary("process").payload()).containsEntry("dropped", 0L);
    }

    @Test
    void aLaunchedCommandIsTracedFromItsFirstExecToItsExitWithItsOutputInItsLog() throws Exception {
        Path log = dir.resolve("command.log");
        ProcessTreeSource src = ProcessTreeSource.launching(
                List.of("bash", "-c", "sh -c \"exit 3\"; echo out; echo err >&2; exit 5"), dir, log);
        Recorder rec = new Recorder();
        SourceCounters c;
        try {
            src.start(AuditTarget.none(), rec);
            assertThat(src.rootPid()).isPositive();
            assertThat(src.awaitExit(Duration.ofSeconds(20))).contains(5);
        } finally {
            c = src.stop();
        }
        long root = src.rootPid();
        Summaries.check(rec, "process", c);
        assertThat(java.nio.file.Files.readString(log)).isEqualTo("out\nerr\n");
        // the wrapper's exec, then the command's, in the same process
        assertThat(rec.of("process"))
                .filteredOn(r -> "exec".equals(r.payload().get("event"))
                        && Long.valueOf(root).equals(r.payload().get("pid")))
                .extracting(r -> (Object) ((List<?>) r.payload().get("args")).get(0))
                .containsExactly("sh", "bash");
        AuditRecord child = rec.of("process").stream()
                .filter(r -> "exec".equals(r.payload().get("event")))
                .filter(r -> List.of("sh", "-c", "exit 3").equals(r.payload().get("args")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(rec.toString()));
        assertThat(child.payload())
                .containsEntry("ppid", root)
                .containsEntry("cwd", dir.toRealPath().toString());
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", child.payload().get("pid"))
                        .containsEntry("exitCode", 3));
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", root)
                        .containsEntry("exitCode", 5));
        assertThat(rec.summary("process").payload()).containsEntry("dropped", 0L);
    }

    @Test
    void aCommandStartedUnderTheSourcesStraceByItsOwnParentIsFollowedFromItsFirstExecWithItsExitStatus()
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                AuditSources.followUnavailable().isEmpty(),
                () -> "cannot follow here: " + AuditSources.followUnavailable().orElse(""));
        Path output = dir.resolve("trace.strace");
        java.nio.file.Files.writeString(output, "1 stale line of an earlier run\n");
        StraceFollowing src = AuditSources.following("process", output, dir);
        Recorder rec = new Recorder();
        SourceCounters c;
        Process cmd;
        try {
            src.start(AuditTarget.none(), rec);
            List<String> words = src.straceCommand();
            assertThat(words)
                    .contains("-f", "--seccomp-bpf", "-o", output.toString())
                    .endsWith("--");
            List<String> program = new java.util.ArrayList<>(words);
            program.addAll(List.of("bash", "-c", "sh -c \"exit 3\"; exit 5"));
            // started by us, as a pane's shell would: strace is our child, the command its, and its status is ours
            cmd = new ProcessBuilder(program)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(cmd.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(cmd.exitValue()).isEqualTo(5);
            assertThat(new String(cmd.getInputStream().readAllBytes())).isEmpty(); // strace said nothing
        } finally {
            c = src.stop();
        }
        Summaries.check(rec, "process", c);
        List<AuditRecord> execs = rec.of("process").stream()
                .filter(r -> "exec".equals(r.payload().get("event")))
                .toList();
        // the first record is the command's own exec (its parent, strace, made it untraced: its ppid may be unknown)
        assertThat(execs.get(0).payload()).containsEntry("args", List.of("bash", "-c", "sh -c \"exit 3\"; exit 5"));
        long root = (Long) execs.get(0).payload().get("pid");
        AuditRecord child = execs.stream()
                .filter(r -> List.of("sh", "-c", "exit 3").equals(r.payload().get("args")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(rec.toString()));
        assertThat(child.payload())
                .containsEntry("ppid", root)
                .containsEntry("cwd", dir.toAbsolutePath().toString());
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", child.payload().get("pid"))
                        .containsEntry("exitCode", 3));
        assertThat(rec.of("process"))
                .anySatisfy(r -> assertThat(r.payload())
                        .containsEntry("event", "exit")
                        .containsEntry("pid", root)
                        .containsEntry("exitCode", 5));
        assertThat(rec.summary("process").payload())
                .containsEntry("dropped", 0L)
                .containsEntry("mode", "followed")
                .containsEntry("seccompBpf", true);
        // read, then removed: it holds every traced call's arguments
        assertThat(output).doesNotExist();
    }

    @Test
    void aChildsExecPrintedBeforeItsParentsCloneReturnedGetsItsParentOnceTheCloneReturns() throws Exception {
        // strace prints a clone <unfinished ...> when the child runs first; a short child is gone before its exec is
        // parsed, so /proc cannot say its parent. Pids above any pid_max: /proc knows none of them.
        Path output = dir.resolve("trace.strace");
        ProcessTreeSource src = ProcessTreeSource.following(output, dir);
        Recorder rec = new Recorder();
        SourceCounters c;
        try {
            src.start(AuditTarget.none(), rec);
            java.nio.file.Files.writeString(output, """
                    9000001 execve("/usr/bin/bash", ["bash", "-c", "sh -c 'exit 3'"], 0x7ffd /* 9 vars */) = 0
                    9000001 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>
                    9000002 execve("/usr/bin/sh", ["sh", "-c", "exit 3"], 0x55d0 /* 9 vars */) = 0
                    9000001 <... clone resumed>, child_tidptr=0x7f31) = 9000002
                    9000003 execve("/usr/bin/true", ["true"], 0x55d0 /* 9 vars */) = 0
                    9000002 +++ exited with 3 +++
                    9000003 +++ exited with 0 +++
                    9000001 +++ exited with 3 +++
                    """);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rec.of("process").stream()
                    .noneMatch(r -> Long.valueOf(9000001L).equals(r.payload().get("pid"))
                            && "exit".equals(r.payload().get("event")))) {
                assertThat(System.nanoTime()).as("the root's exit is read").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            c = src.stop();
        }
        Summaries.check(rec, "process", c);
        List<java.util.Map<String, Object>> execs = rec.of("process").stream()
                .map(AuditRecord::payload)
                .filter(p -> "exec".equals(p.get("event")))
                .toList();
        assertThat(execs).extracting(p -> p.get("pid")).containsExactly(9000001L, 9000002L, 9000003L);
        assertThat(execs.get(1))
                .containsEntry("ppid", 9000001L)
                .containsEntry("cwd", dir.toAbsolutePath().normalize().toString());
        // a process whose parent's clone never showed is still recorded, when it exits, its parent unknown
        assertThat(execs.get(2)).containsEntry("ppid", null);
        assertThat(rec.summary("process").payload()).containsEntry("dropped", 0L);
    }
}
