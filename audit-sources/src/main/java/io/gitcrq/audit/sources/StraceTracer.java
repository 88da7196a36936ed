package io.gitcrq.audit.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code strace -f -o /dev/stderr -p PID [-p DESCENDANT...]} (or starts a command under strace, or follows the
 * output file of a strace someone else started) and turns its text into {@link Listener} calls.
 * Handles the pid prefix, {@code <unfinished ...>}/{@code <... resumed>} pairs, {@code +++ exited/killed +++} lines
 * and strace's own {@code strace:} messages. Lines it cannot parse are counted as dropped.
 */
final class StraceTracer {

    interface Listener {
        void syscall(long pid, String name, String args, String ret);

        void exited(long pid, Integer exitCode, String signal);
    }

    private static final Pattern PID_LINE = Pattern.compile("^(\\d+)\\s+(.*)$");
    private static final Pattern CALL_END = Pattern.compile("\\)\\s*= ");
    private static final Pattern CALL_START = Pattern.compile("^([a-z_0-9]+)\\((.*)$", Pattern.DOTALL);
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z_0-9]+) resumed>(.*)$");
    private static final Pattern EXITED = Pattern.compile("^\\+\\+\\+ exited with (-?\\d+) \\+\\+\\+$");
    private static final Pattern KILLED =
            Pattern.compile("^\\+\\+\\+ killed by (\\S+)( \\(core dumped\\))? \\+\\+\\+$");
    // Compiled once: they are applied to every traced call, thousands a second in a build.
    private static final Pattern RET_VALUE = Pattern.compile("^(-?\\d+)");
    private static final Pattern ERRNO = Pattern.compile("^-1 (E[A-Z0-9]+)");
    private static final Pattern ATTACHED = Pattern.compile("^(?:\\S*/)?strace: Process (\\d+) attached.*");

    private final Listener listener;
    private final Map<Long, String> unfinished = new HashMap<>();
    private final CountDownLatch attached = new CountDownLatch(1);
    private final ConcurrentLinkedDeque<String> errors = new ConcurrentLinkedDeque<>();
    private volatile long rootPid;
    /** Launched or followed: the first line's pid, the command's own exec, is the root. */
    private volatile boolean rootFromOutput;

    private volatile long unparsable;
    private volatile long lines;
    private ToolProcess tool;
    private FollowedFile followed;
    private Path followedOutput;

    StraceTracer(Listener listener) {
        this.listener = listener;
    }

    void start(String kind, long pid, String traceSet, int stringLimit, boolean decorateFds) throws IOException {
        if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
            throw new IOException("no such process " + pid);
        }
        this.rootPid = pid;
        List<String> cmd = baseCommand(kind, traceSet, stringLimit, decorateFds, PIPE);
        cmd.add("-p");
        cmd.add(Long.toString(pid));
        for (long d : ProcFs.descendants(pid)) {
            cmd.add("-p");
            cmd.add(Long.toString(d));
        }
        tool = ToolProcess.start("strace-" + kind, cmd, this::line, this::message);
        try {
            if (!attached.await(10, TimeUnit.SECONDS)) {
                tool.stop(Duration.ofSeconds(2));
                throw new IOException("strace did not attach to " + pid + ": " + String.join(" | ", errors));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.stop(Duration.ofSeconds(2));
            throw new IOException("interrupted while attaching strace", e);
        }
    }

    /**
     * Starts {@code command} in {@code dir} under strace rather than attaching to a running process, its output
     * (stdout and stderr) appended to {@code log}, and returns once it runs; {@link #rootPid()} is then its pid. Started
     * so, strace can have the kernel filter the calls ({@code --seccomp-bpf}, strace 5.3 or later): the traced
     * processes stop only at the traced calls instead of at every system call, which is most of what tracing a
     * build costs. Forks, execs and exits are followed as when attached. The command runs through
     * {@code sh -c 'exec "$@" >>LOG 2>&1'}, so its first exec record is that shell's, in the same pid.
     */
    void launch(String kind, List<String> command, Path dir, Path log, String traceSet, int stringLimit)
            throws IOException {
        List<String> cmd = baseCommand(kind, traceSet, stringLimit, false, PIPE);
        if (seccompBpf()) {
            cmd.add("--seccomp-bpf");
        }
        cmd.addAll(List.of("--", "sh", "-c", "exec \"$@\" >>\"$0\" 2>&1 </dev/null", log.toString()));
        cmd.addAll(command);
        rootFromOutput = true;
        tool = ToolProcess.start("strace-" + kind, cmd, dir, this::line, this::message);
        try {
            if (!attached.await(10, TimeUnit.SECONDS)) {
                tool.stop(Duration.ofSeconds(2));
                throw new IOException("strace did not start " + command + ": " + String.join(" | ", errors));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.stop(Duration.ofSeconds(2));
            throw new IOException("interrupted while starting strace", e);
        }
    }

    /** The traced root: the attached process, or the launched command once it runs (0 before). */
    long rootPid() {
        return rootPid;
    }

    /** For a launched command: waits for it (and so strace) to end; its exit code, or empty if it still runs. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return tool == null ? Optional.empty() : tool.waitFor(timeout);
    }

    /**
     * Follows a strace this tracer does not start: answers the words to start the command under ({@code strace -f
     * --seccomp-bpf -q … -o OUTPUT --}, the command's words to follow them) and reads {@code output} as that strace
     * writes it, from the command's first exec, until {@link #stop}; {@link #rootPid()} is then the command's pid.
     * Whoever starts the command gives it its terminal, parent and exit status: strace -f passes the status of the
     * command on and ends when the last traced process does. It blocks fatal signals ({@code -I never}): when the
     * whole tree is sent SIGTERM (a timeout) or SIGINT (Ctrl-C at a terminal) it stays to record how each process
     * ended, and ends with the last (SIGKILL still ends it). Its messages ({@code -q}: only errors) go to the
     * command's stderr.
     * A stale {@code output} is removed first, and the output once read (it holds every traced call's arguments).
     * Needs {@link #followUnavailable()} empty.
     */
    List<String> follow(String kind, Path output, String traceSet, int stringLimit, boolean decorateFds)
            throws IOException {
        // absolute, so never read as "|command" or "!command", which strace would pipe its output to
        List<String> cmd = baseCommand(
                kind,
                traceSet,
                stringLimit,
                decorateFds,
                output.toAbsolutePath().toString());
        cmd.addAll(1, List.of("--seccomp-bpf", "-q", "-I", "never"));
        cmd.add("--");
        Files.deleteIfExists(output);
        rootFromOutput = true;
        followedOutput = output;
        followed = FollowedFile.start("strace-" + kind + "-follow", output, this::line);
        return List.copyOf(cmd);
    }

    /**
     * The signals traced: those that end a process unless handled. strace writes a process's "+++ killed by SIG +++"
     * only for a signal in this set (and "--- SIG ---" at its delivery, skipped); SIGCHLD, SIGWINCH and the other
     * frequent harmless ones stay out, since each printed signal is output to parse.
     */
    private static final String SIGNALS = "signal=SIGHUP,SIGINT,SIGQUIT,SIGILL,SIGTRAP,SIGABRT,SIGBUS,SIGFPE,SIGKILL,"
            + "SIGSEGV,SIGPIPE,SIGALRM,SIGTERM,SIGXCPU,SIGXFSZ,SIGSYS";

    /** Trace output through "-o |cat" to stdout, so that strace's own messages (stderr) never interleave with it. */
    private static final String PIPE = "|cat";

    private static List<String> baseCommand(
            String kind, String traceSet, int stringLimit, boolean decorateFds, String output) throws IOException {
        Path strace = ToolProcess.require("strace", "strace", kind);
        if (PIPE.equals(output)) {
            output = "|" + ToolProcess.require("cat", "coreutils", kind);
        }
        List<String> cmd = new ArrayList<>(List.of(
                strace.toString(),
                "-f",
                "-s",
                Integer.toString(stringLimit),
                "-e",
                "trace=" + traceSet,
                "-e",
                SIGNALS,
                "-o",
                output));
        if (decorateFds) {
            cmd.add("-yy");
        }
        return cmd;
    }

    private static volatile Optional<String> followUnavailable;

    /**
     * Why a command cannot be started under a followed strace here ({@link #follow}), or empty; checked once: strace
     * must be there, have {@code --seccomp-bpf} and start a command under it (ptrace and seccomp allowed).
     */
    static Optional<String> followUnavailable() {
        if (followUnavailable == null) {
            followUnavailable = checkFollow();
        }
        return followUnavailable;
    }

    private static Optional<String> checkFollow() {
        Optional<Path> strace = ToolProcess.which("strace");
        if (strace.isEmpty()) {
            return Optional.of("strace is not installed (Debian package strace)");
        }
        if (!seccompBpf()) {
            return Optional.of("this strace has no --seccomp-bpf (strace 5.3 or later)");
        }
        try {
            Process p = new ProcessBuilder(
                            strace.get().toString(),
                            "-f",
                            "--seccomp-bpf",
                            "-q",
                            "-e",
                            "trace=execve",
                            "-o",
                            "/dev/null",
                            "--",
                            ToolProcess.which("true").map(Path::toString).orElse("true"))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("strace --seccomp-bpf did not start a command within 5 s");
            }
            return p.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of("strace cannot start a command under --seccomp-bpf here: " + out);
        } catch (IOException e) {
            return Optional.of("strace cannot start a command here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking strace");
        }
    }

    private static volatile Boolean seccompBpf;

    /** Whether this host's strace has {@code --seccomp-bpf} (5.3 or later; {@code strace -V}: "strace -- version 6.1"). */
    static boolean seccompBpf() {
        if (seccompBpf == null) {
            boolean supported = false;
            try {
                Process p = new ProcessBuilder(
                                ToolProcess.which("strace").map(Path::toString).orElse("strace"), "-V")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                p.waitFor(5, TimeUnit.SECONDS);
                Matcher m = Pattern.compile("version (\\d+)\\.(\\d+)").matcher(out);
                supported = m.find()
                        && (Integer.parseInt(m.group(1)) > 5
                                || Integer.parseInt(m.group(1)) == 5 && Integer.parseInt(m.group(2)) >= 3);
            } catch (IOException | RuntimeException e) {
                supported = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seccompBpf = supported;
        }
        return seccompBpf;
    }

    /**
     * Detaches (SIGTERM makes strace detach and let the tracees run on) and drains the output; a followed output is
     * read to its end (its strace has ended, or no longer matters) and removed.
     */
    void stop() {
        if (followed != null) {
            followed.finish(ToolProcess.DEFAULT_DRAIN);
            try {
                Files.deleteIfExists(followedOutput);
            } catch (IOException e) {
                errors.add("cannot remove " + followedOutput + ": " + e.getMessage());
            }
        }
        if (tool != null) {
            tool.stop(Duration.ofSeconds(5), ToolProcess.DEFAULT_DRAIN);
        }
        if (tool != null || followed != null) {
            synchronized (this) {
                // a call still <unfinished ...> when strace detached is reported with unknown return
                for (Map.Entry<Long, String> e : unfinished.entrySet()) {
                    complete(e.getKey(), e.getValue() + ") = ?");
                }
                unfinished.clear();
            }
        }
    }

    long unparsable() {
        return unparsable;
    }

    /** Lines of strace's output read at stop past the drain bound: counted, not parsed. */
    long notDrained() {
        return (followed != null ? followed.skippedLines() : 0) + (tool != null ? tool.skippedLines() : 0);
    }

    /** False when the output could not be read to its end within the drain bound at stop. */
    boolean drained() {
        return (followed == null || followed.drained()) && (tool == null || tool.drained());
    }

    long lines() {
        return lines;
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    void message(String raw) {
        if (DEBUG) {
            System.err.println("[strace-msg] " + raw);
        }
        Matcher a = ATTACHED.matcher(raw);
        if (a.matches()) {
            if (Long.parseLong(a.group(1)) == rootPid) {
                attached.countDown();
            }
        } else if (!raw.contains("strace: Process ") && errors.size() < 20) {
            errors.add(raw);
        }
    }

    private static final boolean DEBUG = Boolean.getBoolean("gitcrq.audit.debug");

    synchronized void line(String raw) {
        if (DEBUG) {
            System.err.println("[strace] " + raw);
        }
        lines++;
        Matcher m = PID_LINE.matcher(raw);
        if (!m.matches()) {
            unparsable++;
            return;
        }
        long pid = Long.parseLong(m.group(1));
        String body = m.group(2);
        if (rootFromOutput && rootPid == 0) {
            rootPid = pid; // the launched or followed command's first line: its own exec
            attached.countDown();
        }
        try {
            handle(pid, body);
        } catch (RuntimeException e) {
            unparsable++;
        }
    }

    private void handle(long pid, String body) {
        if (body.startsWith("+++ ")) {
            Matcher ex = EXITED.matcher(body);
            if (ex.matches()) {
                listener.exited(pid, Integer.parseInt(ex.group(1)), null);
                return;
            }
            Matcher k = KILLED.matcher(body);
            if (k.matches()) {
                listener.exited(pid, null, k.group(1));
                return;
            }
            return; // "+++ superseded by execve in pid N +++"
        }
        if (body.startsWith("--- ") || body.startsWith("[ ")) {
            return; // signals (normally filtered), personality notes
        }
        if (body.endsWith("<unfinished ...>")) {
            String head = body.substring(0, body.length() - "<unfinished ...>".length())
                    .stripTrailing();
            unfinished.put(pid, head);
            return;
        }
        Matcher r = RESUMED.matcher(body);
        if (r.matches()) {
            String head = unfinished.remove(pid);
            if (head == null || !head.startsWith(r.group(1) + "(")) {
                head = r.group(1) + "(";
            } else if (!head.endsWith("(")
                    && !r.group(2).startsWith(")")
                    && !r.group(2).startsWith(",")) {
                head = head + " ";
            }
            complete(pid, head + r.group(2));
            return;
        }
        complete(pid, body);
    }

    private void complete(long pid, String call) {
        Matcher s = CALL_START.matcher(call);
        if (!s.matches()) {
            unparsable++;
            return;
        }
        Matcher e = CALL_END.matcher(call);
        int end = -1;
        int retAt = -1;
        while (e.find()) {
            end = e.start();
            retAt = e.end();
        }
        if (end < 0) {
            unparsable++;
            return;
        }
        String name = s.group(1);
        String args = call.substring(name.length() + 1, end);
        String ret = call.substring(retAt).trim();
        listener.syscall(pid, name, args, ret);
    }

    /** The leading integer of a return value ("3<socket:[1]>" -> 3, "-1 ENOENT (..)" -> -1), or null. */
    static Long retValue(String ret) {
        Matcher m = RET_VALUE.matcher(ret);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /** Errno name of a failed call ("-1 ENOENT (No such file...)" -> ENOENT), or null. */
    static String errno(String ret) {
        Matcher m = ERRNO.matcher(ret);
        return m.find() ? m.group(1) : null;
    }

    /** Decodes the C string literal starting at {@code s.charAt(start) == '"'}; result[0]=text, result[1]=end index. */
    static Object[] cString(String s, int start) {
        StringBuilder out = new StringBuilder();
        int i = start + 1;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                break;
            }
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                switch (n) {
                    case 'n' -> {
                        bytes.write('\n');
                        i += 2;
                    }
                    case 't' -> {
                        bytes.write('\t');
                        i += 2;
                    }
                    case 'r' -> {
                        bytes.write('\r');
                        i += 2;
                    }
                    case 'v' -> {
                        bytes.write(11);
                        i += 2;
                    }
                    case 'f' -> {
                        bytes.write(12);
                        i += 2;
                    }
                    case 'x' -> {
                        int j = i + 2;
                        while (j < s.length() && j < i + 4 && Character.digit(s.charAt(j), 16) >= 0) {
                            j++;
                        }
                        bytes.write(Integer.parseInt(s.substring(i + 2, j), 16));
                        i = j;
                    }
                    default -> {
                        if (n >= '0' && n <= '7') {
                            int j = i + 1;
                            while (j < s.length() && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                                j++;
                            }
                            bytes.write(Integer.parseInt(s.substring(i + 1, j), 8));
                            i = j;
                        } else {
                            bytes.write(n);
                            i += 2;
                        }
                    }
                }
                continue;
            }
            byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
            i++;
        }
        out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        boolean truncated = s.startsWith("...", i);
        return new Object[] {out.toString(), i, truncated};
    }

    /** The first string literal in the argument text, or null. */
    static String firstString(String args) {
        int q = args.indexOf('"');
        return q < 0 ? null : (String) cString(args, q)[0];
    }

    /** Strings of the first {@code [...]} array in the argument text (execve argv). */
    static List<String> stringArray(String args, boolean[] truncated) {
        List<String> out = new ArrayList<>();
        int open = args.indexOf('[');
        if (open < 0) {
            return out;
        }
        int i = open + 1;
        while (i < args.length()) {
            char c = args.charAt(i);
            if (c == ']') {
                break;
            }
            if (c == '"') {
                Object[] r = cString(args, i);
                out.add((String) r[0]);
                i = (int) r[1];
                if ((boolean) r[2]) {
                    truncated[0] = true;
                }
                continue;
            }
            if (args.startsWith("...", i)) {
                truncated[0] = true;
                i += 3;
                continue;
            }
            i++;
        }
        return out;
    }
}
