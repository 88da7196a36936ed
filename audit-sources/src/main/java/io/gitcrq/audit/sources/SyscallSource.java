package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.SourceSummary;
import io.gitcrq.model.audit.SyscallProcess;
import io.gitcrq.model.audit.SyscallSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code syscall}: file, process and network syscalls of the managed command's tree, summarised per process; one
 * record per process at stop: {@code {pid, ppid, path, args[], exitCode|signal, syscalls:{name:count},
 * failed:{name:count}, paths[] (distinct, bounded), pathsOmitted, connects[{family, address, port|path, result}]
 * (bounded), connectsOmitted}}. {@code captured} counts the syscalls summarised.
 *
 * <p>Mechanism: {@code strace -f -yy -e trace=%file,%process,%network,chdir -e signal=FATAL… -p ROOT}; same ptrace
 * limits as {@link ProcessTreeSource} (one tracer per process). Overhead is significant for syscall-heavy commands.
 * Or {@link #following} the output of the strace the command is started under, as {@link ProcessTreeSource#following}
 * (the calls then stop the tree's processes, filtered by the kernel, rather than every call); the summary's
 * {@code mode} says which.
 */
public final class SyscallSource extends AbstractAuditSource implements StraceTracer.Listener, StraceFollowing {

    private static final String TRACED = "%file,%process,%network,chdir";

    private static final Set<String> NETWORK = Set.of(
            "socket",
            "socketpair",
            "bind",
            "listen",
            "accept",
            "accept4",
            "connect",
            "getsockname",
            "getpeername",
            "sendto",
            "recvfrom",
            "setsockopt",
            "getsockopt",
            "shutdown",
            "sendmsg",
            "recvmsg",
            "sendmmsg",
            "recvmmsg");
    private static final Pattern PORT = Pattern.compile("sin6?_port=htons\\((\\d+)\\)");
    private static final Pattern ADDR4 = Pattern.compile("sin_addr=inet_addr\\(\"([^\"]*)\"\\)");
    private static final Pattern ADDR6 = Pattern.compile("inet_pton\\(AF_INET6, \"([^\"]*)\"");
    private static final Pattern FAMILY = Pattern.compile("sa_family=(AF_[A-Z0-9]+)");
    private static final Pattern SUN_PATH = Pattern.compile("sun_path=(@?\"(?:[^\"\\\\]|\\\\.)*\")");

    private final int maxPaths;
    private final int maxConnects;
    private final StraceTracer tracer = new StraceTracer(this);
    private final Map<Long, Proc> procs = new LinkedHashMap<>();
    /** The strace output followed, if following. */
    private Path followed;

    private List<String> straceCommand;

    private static final class Proc {
        Long ppid;
        String path;
        List<String> args;
        Integer exitCode;
        String signal;
        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, Long> failed = new TreeMap<>();
        final Set<String> paths = new LinkedHashSet<>();
        long pathsOmitted;
        final List<SyscallProcess.Connect> connects = new ArrayList<>();
        long connectsOmitted;
    }

    public SyscallSource() {
        this(DEFAULT_QUEUE_CAPACITY, 256, 64);
    }

    public SyscallSource(int queueCapacity, int maxPathsPerProcess, int maxConnectsPerProcess) {
        super("syscall", queueCapacity);
        this.maxPaths = maxPathsPerProcess;
        this.maxConnects = maxConnectsPerProcess;
    }

    /** A source that follows what a strace writing {@code output} traces (see {@link ProcessTreeSource#following}). */
    public static SyscallSource following(Path output) {
        SyscallSource source = new SyscallSource();
        source.followed = output;
        return source;
    }

    @Override
    public List<String> straceCommand() {
        if (straceCommand == null) {
            throw new IllegalStateException("only a following syscall source, once started, has a strace command");
        }
        return straceCommand;
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        if (followed != null) {
            straceCommand = tracer.follow(kind(), followed, TRACED, 1024, true);
            return;
        }
        long pid = target.requirePid();
        proc(pid);
        tracer.start(kind(), pid, TRACED, 1024, true);
    }

    @Override
    protected void doStop() {
        tracer.stop();
        countDropped(SourceSummary.UNPARSABLE, tracer.unparsable());
        countDropped(SourceSummary.NOT_DRAINED, tracer.notDrained());
        if (!tracer.drained()) {
            fellBehind();
        }
        synchronized (tracer) {
            for (Map.Entry<Long, Proc> e : procs.entrySet()) {
                Proc p = e.getValue();
                if (p.counts.isEmpty() && p.exitCode == null && p.signal == null) {
                    continue;
                }
                emitCarrying(
                        AuditRecord.of(new SyscallProcess(
                                e.getKey(),
                                p.ppid,
                                p.path,
                                p.args,
                                p.exitCode,
                                p.signal,
                                new LinkedHashMap<>(p.counts),
                                new LinkedHashMap<>(p.failed),
                                new ArrayList<>(p.paths),
                                p.pathsOmitted,
                                new ArrayList<>(p.connects),
                                p.connectsOmitted)),
                        p.counts.values().stream().mapToLong(Long::longValue).sum());
            }
        }
    }

    @Override
    protected SyscallSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new SyscallSummary(
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
                    stopError,
                    sinkFailures,
                    null,
                    null);
        }
        return new SyscallSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                procs.size(),
                tracer.lines(),
                followed != null ? "followed" : "attached",
                followed != null && StraceTracer.seccompBpf(),
                tracer.unparsable(),
                tracer.errors().isEmpty() ? null : tracer.errors(),
                null,
                sinkFailures,
                null,
                null);
    }

    private Proc proc(long pid) {
        return procs.computeIfAbsent(pid, k -> {
            Proc p = new Proc();
            p.ppid = ProcFs.ppid(k);
            return p;
        });
    }

    @Override
    public void syscall(long pid, String name, String args, String ret) {
        countCaptured(1);
        Proc p = proc(pid);
        p.counts.merge(name, 1L, Long::sum);
        String errno = StraceTracer.errno(ret);
        if (errno != null) {
            p.failed.merge(name, 1L, Long::sum);
        }
        Long rv = StraceTracer.retValue(ret);
        switch (name) {
            case "clone", "clone3", "fork", "vfork" -> {
                if (rv != null && rv > 0) {
                    proc(rv).ppid = pid;
                }
                return;
            }
            case "execve", "execveat" -> {
                if (rv != null && rv == 0) {
                    boolean[] t = new boolean[1];
                    p.args = StraceTracer.stringArray(args, t);
                    p.path = StraceTracer.firstString(args);
                }
            }
            case "connect", "sendto", "sendmsg" -> {
                if (args.contains("sa_family=")) {
                    addConnect(p, name, args, errno, ret);
                }
                return;
            }
            default -> {}
        }
        if (!NETWORK.contains(name)) {
            String path = StraceTracer.firstString(args);
            if (path != null && !path.isEmpty()) {
                if (p.paths.contains(path)) {
                    return;
                }
                if (p.paths.size() < maxPaths) {
                    p.paths.add(path);
                } else {
                    p.pathsOmitted++;
                }
            }
        }
    }

    private void addConnect(Proc p, String name, String args, String errno, String ret) {
        Matcher f = FAMILY.matcher(args);
        String family = f.find() ? f.group(1) : null;
        if (!"AF_INET".equals(family) && !"AF_INET6".equals(family) && !"AF_UNIX".equals(family)) {
            return; // netlink etc.
        }
        Matcher a4 = ADDR4.matcher(args);
        Matcher a6 = ADDR6.matcher(args);
        Matcher port = PORT.matcher(args);
        String address = null;
        if (a4.find()) {
            address = a4.group(1);
        } else if (a6.find()) {
            address = a6.group(1);
        }
        Integer portNumber = port.find() ? Integer.parseInt(port.group(1)) : null;
        String path = null;
        Matcher sp = SUN_PATH.matcher(args);
        if (sp.find()) {
            String raw = sp.group(1);
            boolean abstractNs = raw.startsWith("@");
            String unquoted = (String) StraceTracer.cString(raw, abstractNs ? 1 : 0)[0];
            path = abstractNs ? "@" + unquoted : unquoted;
        }
        SyscallProcess.Connect c = new SyscallProcess.Connect(
                name, family, address, portNumber, path, errno != null ? errno : ret.split(" ")[0]);
        if (p.connects.contains(c)) {
            return;
        }
        if (p.connects.size() < maxConnects) {
            p.connects.add(c);
        } else {
            p.connectsOmitted++;
        }
    }

    @Override
    public void exited(long pid, Integer exitCode, String signal) {
        Proc p = proc(pid);
        p.exitCode = exitCode;
        p.signal = signal;
    }
}
