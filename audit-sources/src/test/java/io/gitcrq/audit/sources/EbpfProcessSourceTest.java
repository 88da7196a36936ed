package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code process} source with eBPF, on the real kernel: a command in a cgroup of its own runs children, a
 * short-lived process, a process killed by a signal and a subshell, while this JVM runs programs outside the cgroup;
 * exactly the command's execs and exits are recorded, with arguments, exit codes and signals, and nothing is stopped.
 */
@Timeout(180)
class EbpfProcessSourceTest {

    @TempDir
    Path dir;

    @Test
    void theCommandsExecsAndExitsAreCapturedAndNothingElse() throws Exception {
        assertThat(EbpfProcessSource.unavailable())
                .as(
                        "this host must run the eBPF process source (.ci/run installs clang, bpftool, libbpf-dev, mounts tracefs)")
                .isEmpty();
        try (CommandCgroup cgroup =
                CommandCgroup.create("test-ebpf-" + ProcessHandle.current().pid())) {
            Recorder rec = new Recorder();
            EbpfProcessSource source = new EbpfProcessSource();
            SourceCounters counters;
            Process command;
            // a program named like gitcrq-proctrace's first line, with arguments shaped like its lines
            Files.createSymbolicLink(dir.resolve("ready"), Path.of("/bin/true"));
            try {
                source.start(AuditTarget.none().withCgroup(cgroup.path()), rec);
                Process outside = new ProcessBuilder("/bin/echo", "outside-the-cgroup").start();
                command = new ProcessBuilder(
                                "bash",
                                "-c",
                                "printf '%s\\n' $$ > \"$0\" || exit 9\n"
                                        + "cd \"$1\"\n"
                                        + "/bin/true 'two words' 'a \"quoted\" one'\n"
                                        + "./ready $'exit 1 2 3\\nlost 9' '' 'back\\x41slash'\n"
                                        + "sh -c 'exit 3'\n"
                                        + "sh -c 'kill -TERM $$'\n"
                                        + "/bin/echo \"$(printf 'line\\nbreak\\tcaf\\303\\251')\" > /dev/null\n"
                                        + "(exit 4)\n"
                                        + "exit 5",
                                cgroup.procs().toString(),
                                dir.toString())
                        .redirectErrorStream(true)
                        .start();
                assertThat(command.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(outside.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(command.exitValue())
                        .as(new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(5);
            } finally {
                counters = source.stop();
            }
            Summaries.check(rec, "process", counters);
            Map<String, Object> summary = rec.summary("process").payload();
            assertThat(summary)
                    .as("%s", summary)
                    .containsEntry("mechanism", "ebpf")
                    .containsEntry("cgroup", cgroup.path())
                    .containsEntry("dropped", 0L)
                    .containsEntry("unparsableLines", 0L)
                    .doesNotContainKey("straceLines");
            List<Map<String, Object>> events =
                    rec.of("process").stream().map(AuditRecord::payload).toList();
            List<Map<String, Object>> execs =
                    events.stream().filter(e -> "exec".equals(e.get("event"))).toList();
            // the command's programs, each once, and nothing from outside the cgroup (nor the stop's sentinel)
            assertThat(execs)
                    .extracting(e -> e.get("args"))
                    .containsExactly(
                            List.of("/bin/true", "two words", "a \"quoted\" one"),
                            List.of("./ready", "exit 1 2 3\nlost 9", "", "back\\x41slash"),
                            List.of("sh", "-c", "exit 3"),
                            List.of("sh", "-c", "kill -TERM $$"),
                            List.of("/bin/echo", "line\nbreak\tcafé"));
            assertThat(execs)
                    .extracting(e -> e.get("path"))
                    .containsExactly("/bin/true", "./ready", "/usr/bin/sh", "/usr/bin/sh", "/bin/echo");
            long shell = command.pid();
            assertThat(execs).allSatisfy(e -> assertThat(e).containsEntry("ppid", shell));
            Map<String, Object> exit3 = exitOf(events, execs.get(2).get("pid"));
            assertThat(exit3)
                    .containsEntry("exitCode", 3)
                    .containsEntry("args", List.of("sh", "-c", "exit 3"))
                    .containsEntry("path", "/usr/bin/sh");
            assertThat(exitOf(events, execs.get(3).get("pid"))).containsEntry("signal", "SIGTERM");
            assertThat(exitOf(events, shell)).containsEntry("exitCode", 5);
            // the subshells ran no program: exits without a path, one of them with code 4
            assertThat(events)
                    .anySatisfy(e -> assertThat(e)
                            .containsEntry("event", "exit")
                            .containsEntry("exitCode", 4)
                            .containsEntry("ppid", shell)
                            .containsEntry("path", null));
            assertThat(summary).containsEntry("execs", 5L);
            assertThat(summary.get("exits")).isEqualTo((long) events.size() - 5);
        }
    }

    private static Map<String, Object> exitOf(List<Map<String, Object>> events, Object pid) {
        return events.stream()
                .filter(e -> "exit".equals(e.get("event")) && pid.equals(e.get("pid")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exit of " + pid + " in " + events));
    }

    /**
     * The kernel mechanism refused: gitcrq-proctrace run by a user without the privilege to load eBPF programs (as
     * exec-agent would be without root or CAP_BPF) stops at once and says why, which the source reports when it cannot
     * start (and exec-agent then falls back to strace: ExecAuditTest).
     */
    @Test
    void withoutThePrivilegeToLoadProgramsTheProgramSaysWhyAndEnds() throws Exception {
        try (CommandCgroup cgroup = CommandCgroup.create(
                "test-ebpf-nobody-" + ProcessHandle.current().pid())) {
            ToolProcess.Outcome run = AsNobody.run(
                    dir,
                    BundledProgram.PROCTRACE,
                    CommandCgroup.directoryOf(cgroup.path()).toString());
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output())
                    .contains("cannot load the eBPF programs: Operation not permitted")
                    .doesNotContain("ready");
        }
    }

    @Test
    void withoutTheCommandsCgroupTheSourceDoesNotStart() {
        EbpfProcessSource source = new EbpfProcessSource();
        assertThatThrownBy(() -> source.start(AuditTarget.none(), new Recorder()))
                .isInstanceOf(AuditSourceUnavailableException.class)
                .hasMessageContaining("cgroup");
    }
}
