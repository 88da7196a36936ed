package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.ProcessExec;
import io.gitcrq.model.audit.ProcessExit;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code process} without stopping a single process: the kernel reports every successful exec (path and arguments)
 * and every exit (exit code or signal) of the processes in the managed command's own cgroup, through libbpf-tools'
 * {@code execsnoop -q -c CGROUP} and {@code exitsnoop -c CGROUP} (eBPF programs on the exec and exit tracepoints,
 * filtered in the kernel by cgroup; Debian package libbpf-tools). The target names the cgroup
 * ({@link AuditTarget#cgroup()}), which the command's shell joins before it becomes the command, so its whole tree
 * is seen and nothing else. Records as {@link ProcessTreeSource}'s; a process that never ran a program of its own (a
 * shell's subshell) shows as an exit without path.
 *
 * <p>The source is ready once both tools printed their header (their programs are attached). At stop a sentinel
 * process joins the cgroup, runs {@code /bin/true} with a random marker and ends; once both tools reported it (and a
 * moment more for events of other CPUs' buffers), everything before it has been read and the tools stop. An exit is
 * held a quarter of a second before it is published, so that the exec line of its process, read from the other tool,
 * comes first and the exit can carry its path and arguments.
 *
 * <p>Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF ({@code /sys/kernel/btf/vmlinux}), tracefs mounted
 * and cgroup v2 ({@link #unavailable()} checks what it can without starting). Limits: execsnoop keeps 127 bytes of
 * each argument and {@value #MAX_ARGS} arguments (then {@code argsTruncated}), and writes the executable's path in
 * place of {@code argv[0]}; a line feed or tab in an argument is kept as execsnoop writes it, {@code \n} or
 * {@code \t} (it does not escape a backslash, so they cannot be told from those two characters); {@code execveat} is
 * not seen; the working directory is read from /proc when the exec is read, so a process already gone has none. The
 * tools report what the kernel could not hand them ("Lost N events"): counted dropped (toolOverrun).
 */
public final class EbpfProcessSource extends AbstractAuditSource {

    /** As many arguments as execsnoop keeps (its kernel side's TOTAL_MAX_ARGS). */
    static final int MAX_ARGS = 60;
    /** How long an exit waits for its process's exec line from the other tool. */
    private static final long EXIT_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SENTINEL_TIMEOUT = Duration.ofSeconds(30);
    /** After the sentinel: events of other CPUs written before it are read within the tools' next poll. */
    private static final long SETTLE_MILLIS = 300;

    private static final Pattern LOST = Pattern.compile("^Lost (\\d+) events? on CPU");
    private static final String SENTINEL_PREFIX = "gitcrq-sentinel-";

    private static Optional<String> unavailable;

    private String cgroup;
    private Path cgroupDirectory;
    private ToolProcess execsnoop;
    private ToolProcess exitsnoop;
    /** Publishes held exits while no line comes. */
    private ScheduledExecutorService releaser;

    private final CountDownLatch execsnoopReady = new CountDownLatch(1);
    private final CountDownLatch exitsnoopReady = new CountDownLatch(1);
    private final String sentinel = SENTINEL_PREFIX + UUID.randomUUID();
    private final CountDownLatch sentinelExec = new CountDownLatch(1);
    private final CountDownLatch sentinelExit = new CountDownLatch(1);
    private volatile long sentinelPid = -1;

    private final Object lock = new Object();
    private final Deque<HeldExit> exits = new ArrayDeque<>();
    private final Map<Long, ProcessExec> lastExec = new HashMap<>();
    private final List<String> messages = new ArrayList<>();
    private long execCount;
    private long exitCount;
    private long unparsable;

    private record HeldExit(ExitsnoopLine line, long readAt) {}

    public EbpfProcessSource() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public EbpfProcessSource(int queueCapacity) {
        super("process", queueCapacity);
    }

    /**
     * Why this host cannot run the source, or empty: execsnoop and exitsnoop (libbpf-tools) and stdbuf (coreutils)
     * installed, a kernel with BTF, tracefs mounted, cgroup v2, root. Checked once; whether the kernel lets the tools
     * load their programs shows only when they start.
     */
    public static synchronized Optional<String> unavailable() {
        if (unavailable == null) {
            unavailable = check();
        }
        return unavailable;
    }

    private static Optional<String> check() {
        for (String tool : List.of("execsnoop", "exitsnoop")) {
            if (ToolProcess.which(tool).isEmpty()) {
                return Optional.of("'" + tool + "' missing (Debian package libbpf-tools)");
            }
        }
        if (ToolProcess.which("stdbuf").isEmpty()) {
            return Optional.of("'stdbuf' missing (Debian package coreutils)");
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

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    /** From the agent's effective capabilities, which the tools it starts inherit when it is root or has them ambient. */
    private static boolean mayLoadPrograms() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    boolean bpf = (caps >>> CAP_BPF & 1) == 1 && (caps >>> CAP_PERFMON & 1) == 1;
                    return bpf || (caps >>> CAP_SYS_ADMIN & 1) == 1;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
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
        try {
            execsnoop = snoop("execsnoop", List.of("-q", "--max-args", Integer.toString(MAX_ARGS)), this::execLine);
            exitsnoop = snoop("exitsnoop", List.of(), this::exitLine);
            awaitReady();
            releaser = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-process-exits");
                t.setDaemon(true);
                return t;
            });
            releaser.scheduleWithFixedDelay(() -> releaseExits(false), 100, 100, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            stopTools();
            throw e;
        }
    }

    /** {@code stdbuf -oL TOOL OPTIONS -c CGROUP}: one of the two tools, on the command's cgroup, line-buffered. */
    private ToolProcess snoop(String tool, List<String> options, Consumer<String> lines) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ToolProcess.which("stdbuf").orElseThrow().toString(),
                "-oL",
                ToolProcess.which(tool).orElseThrow().toString()));
        command.addAll(options);
        command.addAll(List.of("-c", cgroupDirectory.toString()));
        return ToolProcess.startReporting(tool, command, lines, this::message);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (execsnoopReady.getCount() > 0 || exitsnoopReady.getCount() > 0) {
                if (!execsnoop.isAlive() || !exitsnoop.isAlive()) {
                    Thread.sleep(100); // their last words
                    throw new IOException("execsnoop or exitsnoop ended at start: " + messages());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("execsnoop and exitsnoop were not ready within " + READY_TIMEOUT.toSeconds()
                            + " s: " + messages());
                }
                execsnoopReady.await(50, TimeUnit.MILLISECONDS);
                exitsnoopReady.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while execsnoop and exitsnoop started", e);
        }
    }

    private List<String> messages() {
        synchronized (lock) {
            return List.copyOf(messages);
        }
    }

    private void message(String line) {
        Matcher lost = LOST.matcher(line);
        if (lost.find()) {
            countDropped(SourceSummary.TOOL_OVERRUN, Long.parseLong(lost.group(1)));
        }
        synchronized (lock) {
            if (messages.size() < 20) {
                messages.add(line);
            }
        }
    }

    private void execLine(String line) {
        read(line, execsnoopReady, ExecsnoopLine::isHeader, ExecsnoopLine::parse, this::execRead);
    }

    private void exitLine(String line) {
        read(
                line,
                exitsnoopReady,
                ExitsnoopLine::isHeader,
                ExitsnoopLine::parse,
                x -> exits.addLast(new HeldExit(x, System.nanoTime())));
    }

    /**
     * One line of a tool's: its header (only its first line: a program named so later is an exec like any other), or
     * an event handled under {@link #lock}, or unparsable.
     */
    private <T> void read(
            String line,
            CountDownLatch header,
            Predicate<String> isHeader,
            Function<String, Optional<T>> parse,
            Consumer<T> handle) {
        if (header.getCount() > 0 && isHeader.test(line)) {
            header.countDown();
            return;
        }
        Optional<T> parsed = parse.apply(line);
        synchronized (lock) {
            if (parsed.isEmpty()) {
                unparsable++;
                countDropped(SourceSummary.UNPARSABLE, 1);
                return;
            }
            handle.accept(parsed.get());
        }
        releaseExits(false);
    }

    /** Publishes an exec (the sentinel's is only noted). Under {@link #lock}. */
    private void execRead(ExecsnoopLine e) {
        if (e.ret() != 0) {
            return;
        }
        if (e.pid() == sentinelPid && e.args().contains(sentinel)) {
            sentinelExec.countDown();
            return;
        }
        execCount++;
        ProcessExec exec =
                new ProcessExec(e.pid(), e.ppid(), e.path(), e.args(), e.argsTruncated(), ProcFs.cwd(e.pid()));
        lastExec.put(e.pid(), exec);
        emit(exec);
    }

    /** Publishes the exits held long enough (all of them when {@code all}), in the order they were read. */
    private void releaseExits(boolean all) {
        synchronized (lock) {
            long now = System.nanoTime();
            while (!exits.isEmpty() && (all || now - exits.peekFirst().readAt() >= EXIT_HOLD_NANOS)) {
                ExitsnoopLine x = exits.removeFirst().line();
                if (x.pid() == sentinelPid) {
                    sentinelExit.countDown();
                    continue;
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
        }
    }

    @Override
    protected void doStop() {
        if (releaser == null) { // it did not start: what did is stopped already
            stopTools();
            return;
        }
        awaitSentinel();
        releaser.shutdownNow();
        stopTools();
        releaseExits(true);
    }

    /**
     * Runs the sentinel in the cgroup and waits until both tools reported it (its exit once released from the hold).
     */
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
            while (System.nanoTime() - deadline < 0
                    && (sentinelExec.getCount() > 0 || sentinelExit.getCount() > 0)
                    && execsnoop.isAlive()
                    && exitsnoop.isAlive()) {
                sentinelExit.await(20, TimeUnit.MILLISECONDS);
            }
            if (sentinelExec.getCount() > 0 || sentinelExit.getCount() > 0) {
                message("the sentinel process was not reported within " + SENTINEL_TIMEOUT.toSeconds()
                        + " s: the last events may be missing");
                fellBehind();
            }
            Thread.sleep(SETTLE_MILLIS);
        } catch (IOException e) {
            message("cannot run the sentinel process (" + e.getMessage() + "): the last events may be missing");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopTools() {
        for (ToolProcess tool : new ToolProcess[] {execsnoop, exitsnoop}) {
            if (tool != null) {
                tool.stop(Duration.ofSeconds(5));
                if (!tool.drained()) {
                    fellBehind();
                }
            }
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
