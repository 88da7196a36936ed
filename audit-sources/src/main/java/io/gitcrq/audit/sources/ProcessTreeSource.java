package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.ProcessExec;
import io.gitcrq.model.audit.ProcessExit;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code process}: every successful exec and every exit in the managed command's process tree.
 *
 * <p>Mechanism: {@code strace -f -e trace=}{@link #TRACED}{@code  -e signal=FATAL… -p ROOT [-p DESCENDANT...]} (attach;
 * needs ptrace rights: root or CAP_SYS_PTRACE, or yama ptrace_scope 0 with the same uid). Records:
 * <ul>
 *   <li>{@code {event:"exec", pid, ppid, path, args[], argsTruncated, cwd}}</li>
 *   <li>{@code {event:"exit", pid, ppid, exitCode | signal, path, args[]}}</li>
 * </ul>
 * ppid comes from the traced clone/fork/vfork return values, else from /proc at parse time; cwd from
 * /proc/PID/cwd while the process lives, else from the traced chdir calls (fchdir leaves it unknown). strace can
 * print a child's exec before its parent's clone returns ({@code <unfinished ...>}); an exec whose parent is not
 * known yet and whose process is already gone waits for that clone (or the process's exit, or the stop) to be emitted.
 *
 * <p>Limits: a process can have one tracer only, so {@code process} and {@code syscall} cannot attach to the same
 * tree at the same time (use {@code syscall}, whose per-process summaries carry exec args and exit codes, when both
 * are wanted); descendants existing at attach time are attached too but their earlier execs are not seen; stop
 * detaches, the managed command keeps running.
 *
 * <p>Launched instead ({@link #launching}): the source starts the command itself under strace, which can then have
 * the kernel filter the traced calls ({@code --seccomp-bpf}, strace 5.3+; strace refuses it for {@code -p}): the
 * tree's processes stop only at the traced calls, not at every system call, which cuts what tracing a build costs by
 * far. Same records, plus the wrapper's exec first (see {@link StraceTracer#launch}); {@link #rootPid()} and
 * {@link #awaitExit} stand for the command's process.
 *
 * <p>Following instead ({@link #following}): whoever runs the command starts it under the source's
 * {@link #straceCommand()} (strace with {@code --seccomp-bpf}, writing to a file the source reads), so that it keeps
 * its own parent, terminal and exit status (a tmux pane's command) and is traced as cheaply as a launched one, from
 * its first exec. The summary's {@code mode} says which of the three it was.
 */
public final class ProcessTreeSource extends AbstractAuditSource implements StraceTracer.Listener, StraceFollowing {

    /**
     * The calls traced: what makes a process (for its parent), replaces its program, or moves it. Exits come from
     * strace's "+++ exited" lines, so the rest of strace's {@code %process} class (wait4, exit_group, kill…) is
     * left out: a build waits for every child, and each of those calls was a stop and two lines of output.
     * {@code ?}: a name this strace does not know (clone3 before 5.3) is skipped rather than an error.
     */
    static final String TRACED = "clone,?clone3,fork,vfork,execve,?execveat,chdir,fchdir";

    /** A command the source starts itself, in {@code dir}, its output appended to {@code log}. */
    private record Launch(List<String> command, Path dir, Path log) {}

    private final StraceTracer tracer = new StraceTracer(this);
    private Launch launch;
    /** The strace output followed, and the directory its command starts in. */
    private Path followed;

    private Path followedDir;
    private List<String> straceCommand;
    private final Map<Long, Long> parent = new HashMap<>();
    private final Map<Long, String> cwd = new HashMap<>();
    private final Map<Long, List<String>> lastArgs = new HashMap<>();
    private final Map<Long, String> lastPath = new HashMap<>();
    /** Execs of processes whose parent's clone has not returned yet, in order, by pid. */
    private final Map<Long, List<ProcessExec>> awaitingParent = new HashMap<>();

    private long execs;
    private long exits;

    public ProcessTreeSource() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    public ProcessTreeSource(int queueCapacity) {
        super("process", queueCapacity);
    }

    /**
     * A source that, when started, runs {@code command} in {@code dir} under its tracer (the target's pid is not
     * used), with the command's stdout and stderr appended to {@code log}.
     */
    public static ProcessTreeSource launching(List<String> command, Path dir, Path log) {
        ProcessTreeSource source = new ProcessTreeSource();
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("no directory " + dir, e);
        }
        source.launch = new Launch(List.copyOf(command), real, log);
        return source;
    }

    /**
     * A source that, when started, follows what a strace writing {@code output} traces: the command, started in
     * {@code dir} under {@link #straceCommand()}, is traced from its first exec (the target's pid is not used).
     */
    public static ProcessTreeSource following(Path output, Path dir) {
        ProcessTreeSource source = new ProcessTreeSource();
        source.followed = output;
        source.followedDir = dir.toAbsolutePath().normalize();
        return source;
    }

    @Override
    public List<String> straceCommand() {
        if (straceCommand == null) {
            throw new IllegalStateException("only a following process source, once started, has a strace command");
        }
        return straceCommand;
    }

    /** The traced tree's root: the target's pid, or the launched or followed command's (0 before it ran). */
    public long rootPid() {
        return tracer.rootPid();
    }

    /** For a {@link #launching} source: waits for the command; its exit code, or empty if it still runs after the timeout. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (launch == null) {
            throw new IllegalStateException("only a launching process source runs the command itself");
        }
        return tracer.awaitExit(timeout);
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        if (launch != null) {
            tracer.launch(kind(), launch.command(), launch.dir(), launch.log(), TRACED, 4096);
            return;
        }
        if (followed != null) {
            straceCommand = tracer.follow(kind(), followed, TRACED, 4096, false);
            return;
        }
        long pid = target.requirePid();
        String c = ProcFs.cwd(pid);
        if (c != null) {
            cwd.put(pid, c);
        }
        tracer.start(kind(), pid, TRACED, 4096, false);
    }

    @Override
    protected void doStop() {
        tracer.stop();
        awaitingParent.keySet().stream().toList().forEach(this::emitAwaitingParent);
        countDropped(SourceSummary.UNPARSABLE, tracer.unparsable());
        countDropped(SourceSummary.NOT_DRAINED, tracer.notDrained());
        if (!tracer.drained()) {
            fellBehind();
        }
    }

    @Override
    protected ProcessSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new ProcessSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    stopError,
                    sinkFailures,
                    null,
                    null,
                    ProcessSummary.STRACE,
                    null,
                    null,
                    null);
        }
        return new ProcessSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                execs,
                exits,
                tracer.lines(),
                launch != null ? "launched" : followed != null ? "followed" : "attached",
                (launch != null || followed != null) && StraceTracer.seccompBpf(),
                tracer.unparsable(),
                tracer.errors().isEmpty() ? null : tracer.errors(),
                null,
                sinkFailures,
                null,
                null,
                ProcessSummary.STRACE,
                null,
                null,
                null);
    }

    @Override
    public void syscall(long pid, String name, String args, String ret) {
        Path startDir = launch != null ? launch.dir() : followedDir;
        if (startDir != null && pid == tracer.rootPid() && !cwd.containsKey(pid)) {
            cwd.put(pid, startDir.toAbsolutePath().normalize().toString()); // where it was started: its children's too
        }
        Long rv = StraceTracer.retValue(ret);
        switch (name) {
            case "clone", "clone3", "fork", "vfork" -> {
                if (rv != null && rv > 0) {
                    parent.put(rv, pid);
                    String c = cwd.get(pid);
                    if (c != null) {
                        cwd.putIfAbsent(rv, c);
                    }
                    emitAwaitingParent(rv);
                }
            }
            case "chdir" -> {
                String p = StraceTracer.firstString(args);
                if (rv != null && rv == 0 && p != null) {
                    String base = cwd.get(pid);
                    cwd.put(
                            pid,
                            base == null
                                    ? p
                                    : Path.of(base).resolve(p).normalize().toString());
                }
            }
            case "fchdir" -> {
                if (rv != null && rv == 0) {
                    String c = ProcFs.cwd(pid);
                    if (c != null) {
                        cwd.put(pid, c);
                    } else {
                        cwd.remove(pid);
                    }
                }
            }
            case "execve", "execveat" -> {
                if (rv == null || rv != 0) {
                    return; // failed PATH lookups etc.
                }
                execs++;
                boolean[] truncated = new boolean[1];
                List<String> argv = StraceTracer.stringArray(args, truncated);
                String path = StraceTracer.firstString(args);
                lastArgs.put(pid, argv);
                lastPath.put(pid, path);
                Long ppid = ppidOf(pid);
                String live = ProcFs.cwd(pid);
                ProcessExec exec =
                        new ProcessExec(pid, ppid, path, argv, truncated[0], live != null ? live : cwd.get(pid));
                if (ppid == null && pid != tracer.rootPid()) {
                    awaitingParent.computeIfAbsent(pid, k -> new ArrayList<>()).add(exec);
                } else {
                    emit(exec);
                }
            }
            default -> {
                // exit_group/exit/wait4: exits come from the "+++ exited +++" lines
            }
        }
    }

    private Long ppidOf(long pid) {
        Long p = parent.get(pid);
        if (p == null) {
            p = ProcFs.ppid(pid);
            if (p != null) {
                parent.put(pid, p);
            }
        }
        return p;
    }

    /** Emits the execs of {@code pid} held for its parent, with the parent and working directory now known. */
    private void emitAwaitingParent(long pid) {
        List<ProcessExec> held = awaitingParent.remove(pid);
        if (held == null) {
            return;
        }
        Long ppid = parent.get(pid);
        for (ProcessExec e : held) {
            emit(new ProcessExec(
                    e.pid(), ppid, e.path(), e.args(), e.argsTruncated(), e.cwd() != null ? e.cwd() : cwd.get(pid)));
        }
    }

    @Override
    public void exited(long pid, Integer exitCode, String signal) {
        emitAwaitingParent(pid);
        exits++;
        emit(new ProcessExit(
                pid,
                parent.get(pid),
                exitCode,
                exitCode != null ? null : signal,
                lastPath.remove(pid),
                lastArgs.remove(pid)));
        parent.remove(pid);
        cwd.remove(pid);
    }
}
