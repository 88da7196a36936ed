package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.ProcessExec;
import io.gitcrq.model.audit.ProcessExit;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code process} without stopping a single process: the kernel reports every successful exec (path and arguments)
 * and every exit (exit code or signal) of the processes in the managed command's own cgroup, through
 * {@link BundledProgram gitcrq-proctrace} (our eBPF programs on the exec and exit tracepoints, filtered in the kernel
 * by cgroup, both into one ring buffer that is read in batches rather than woken per event). The target names the
 * cgroup ({@link AuditTarget#cgroup()}), which the command's shell joins before it becomes the command, so its whole
 * tree is seen and nothing else. Records as {@link ProcessTreeSource}'s; a process that never ran a program of its
 * own (a shell's subshell) shows as an exit without path. Execs and exits come in the order they happened, so an
 * exit carries its process's path and arguments.
 *
 * <p>The source is ready once the program said {@code ready} (its programs are attached). At stop a sentinel process
 * joins the cgroup, runs {@code /bin/true} with a random marker and ends; once its exit is read, everything before it
 * has been (one ring buffer, read in order), and the program stops.
 *
 * <p>Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF ({@code /sys/kernel/btf/vmlinux}), tracefs mounted
 * and cgroup v2 ({@link #unavailable()} checks what it can without starting). Limits: the kernel side keeps the first
 * 16 KiB of a program's arguments (then {@code argsTruncated}); {@code execveat} of a file descriptor is seen with
 * the path the kernel gives it ({@code /dev/fd/N}); the working directory is read from /proc when the exec is read,
 * so a process already gone has none. Records the ring buffer had no room for are counted dropped (toolOverrun).
 */
public final class EbpfProcessSource extends AbstractAuditSource {

    /** How often gitcrq-proctrace reads its ring buffer. */
    private static final String READ_INTERVAL_MILLIS = "50";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SENTINEL_TIMEOUT = Duration.ofSeconds(30);
    private static final String SENTINEL_PREFIX = "gitcrq-sentinel-";

    private static Optional<String> unavailable;

    private String cgroup;
    private Path cgroupDirectory;
    private ToolProcess proctrace;

    private final CountDownLatch ready = new CountDownLatch(1);
    private final String sentinel = SENTINEL_PREFIX + UUID.randomUUID();
    private final CountDownLatch sentinelExit = new CountDownLatch(1);
    private volatile long sentinelPid = -1;

    private final Object lock = new Object();
    private final Map<Long, ProcessExec> lastExec = new HashMap<>();
    private final List<String> messages = new ArrayList<>();
    private long execCount;
    private long exitCount;
    private long unparsable;
    private long lost;

    public EbpfProcessSource() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public EbpfProcessSource(int queueCapacity) {
        super("process", queueCapacity);
    }

    /**
     * Why this host cannot run the source, or empty: gitcrq-proctrace in this build, a kernel with BTF, tracefs
     * mounted, cgroup v2, root or CAP_BPF and CAP_PERFMON. Checked once; whether the kernel lets the program load
     * shows only when it starts.
     */
    public static synchronized Optional<String> unavailable() {
        if (unavailable == null) {
            unavailable = check();
        }
        return unavailable;
    }

    private static Optional<String> check() {
        try {
            BundledProgram.path(BundledProgram.PROCTRACE);
        } catch (AuditSourceUnavailableException | UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
            return Optional.of("the kernel has no BTF (/sys/kernel/btf/vmlinux)");
        }
        if (!Files.exists(Path.of("/sys/kernel/tracing/events/sched/sched_process_exit"))
                && !Files.exists(Path.of("/sys/kernel/debug/tracing/events/sched/sched_process_exit"))) {
            return Optional.of("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
        }
        if (CommandCgroup.Hierarchy.find().isEmpty()) {
            return Optional.of("no cgroup v2 hierarchy is mounted");
        }
        if (!mayLoadPrograms()) {
            return Optional.of("loading eBPF programs needs root, or CAP_BPF and CAP_PERFMON, which the agent has not");
        }
        return Optional.empty();
    }

    private static boolean mayLoadPrograms() {
        return Capabilities.effective(Capabilities.CAP_BPF, Capabilities.CAP_PERFMON)
                || Capabilities.effective(Capabilities.CAP_SYS_ADMIN);
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        cgroup = target.cgroup();
        if (cgroup == null) {
            throw new AuditSourceUnavailableException("the process source with eBPF needs the command's own cgroup");
        }
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            throw new AuditSourceUnavailableException("the process source cannot use eBPF here: " + why.get());
        }
        cgroupDirectory = CommandCgroup.directoryOf(cgroup);
        proctrace = ToolProcess.startReporting(
                BundledProgram.PROCTRACE,
                List.of(
                        BundledProgram.path(BundledProgram.PROCTRACE).toString(),
                        cgroupDirectory.toString(),
                        READ_INTERVAL_MILLIS),
                this::line,
                this::message);
        try {
            awaitReady();
        } catch (IOException e) {
            proctrace.stop(Duration.ofSeconds(5));
            proctrace = null; // nothing for doStop to wait for: no sentinel into a cgroup nobody watches
            throw e;
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!ready.await(50, TimeUnit.MILLISECONDS)) {
                if (!proctrace.isAlive()) {
                    Thread.sleep(100); // its last words
                    throw new IOException(BundledProgram.PROCTRACE + " ended at start: " + messages());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException(BundledProgram.PROCTRACE + " was not ready within "
                            + READY_TIMEOUT.toSeconds() + " s: " + messages());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + BundledProgram.PROCTRACE + " started", e);
        }
    }

    private List<String> messages() {
        synchronized (lock) {
            return List.copyOf(messages);
        }
    }

    private void message(String line) {
        synchronized (lock) {
            if (messages.size() < 20) {
                messages.add(line);
            }
        }
    }

    private void line(String text) {
        Optional<ProctraceLine> parsed = ProctraceLine.parse(text);
        synchronized (lock) {
            if (parsed.isEmpty()) {
                unparsable++;
                countDropped(SourceSummary.UNPARSABLE, 1);
                return;
            }
            ProctraceLine line = parsed.get();
            if (line instanceof ProctraceLine.Exec e) {
                exec(e);
            } else if (line instanceof ProctraceLine.Exit x) {
                exit(x);
            } else if (line instanceof ProctraceLine.Lost l) {
                countDropped(SourceSummary.TOOL_OVERRUN, l.total() - lost);
                lost = l.total();
            } else {
                ready.countDown();
            }
        }
    }

    /** Publishes an exec (the sentinel's is only noted). Under {@link #lock}. */
    private void exec(ProctraceLine.Exec e) {
        if (e.pid() == sentinelPid && e.args().contains(sentinel)) {
            return;
        }
        execCount++;
        ProcessExec exec =
                new ProcessExec(e.pid(), e.ppid(), e.path(), e.args(), e.argsTruncated(), ProcFs.cwd(e.pid()));
        lastExec.put(e.pid(), exec);
        emit(exec);
    }

    /** Publishes an exit with its process's last program, if it ran one. Under {@link #lock}. */
    private void exit(ProctraceLine.Exit x) {
        if (x.pid() == sentinelPid) {
            sentinelExit.countDown();
            return;
        }
        exitCount++;
        ProcessExec exec = lastExec.remove(x.pid());
        emit(new ProcessExit(
                x.pid(),
                x.ppid(),
                x.exitCode(),
                x.signal(),
                exec == null ? null : exec.path(),
                exec == null ? null : exec.args()));
    }

    @Override
    protected void doStop() {
        if (proctrace == null) {
            return;
        }
        awaitSentinel();
        proctrace.stop(Duration.ofSeconds(5));
        if (!proctrace.drained()) {
            fellBehind();
        }
    }

    /** Runs the sentinel in the cgroup and waits until its exit was read. */
    private void awaitSentinel() {
        try {
            Process p = new ProcessBuilder(
                            "/bin/sh",
                            "-c",
                            "echo $$ > \"$0\" && exec /bin/true \"$1\"",
                            cgroupDirectory.resolve("cgroup.procs").toString(),
                            sentinel)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            sentinelPid = p.pid(); // /bin/true replaces the shell: the same pid
            p.waitFor(SENTINEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + SENTINEL_TIMEOUT.toNanos();
            while (System.nanoTime() - deadline < 0 && sentinelExit.getCount() > 0 && proctrace.isAlive()) {
                sentinelExit.await(20, TimeUnit.MILLISECONDS);
            }
            if (sentinelExit.getCount() > 0) {
                message("the sentinel process was not reported within " + SENTINEL_TIMEOUT.toSeconds()
                        + " s: the last events may be missing");
                fellBehind();
            }
        } catch (IOException e) {
            message("cannot run the sentinel process (" + e.getMessage() + "): the last events may be missing");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected ProcessSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        synchronized (lock) {
            boolean failed = stopError != null;
            return new ProcessSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    failed ? null : execCount,
                    failed ? null : exitCount,
                    null,
                    null,
                    null,
                    failed ? null : unparsable,
                    null,
                    stopError,
                    sinkFailures,
                    null,
                    null,
                    ProcessSummary.EBPF,
                    cgroup,
                    messages.isEmpty() ? null : List.copyOf(messages),
                    null);
        }
    }
}
