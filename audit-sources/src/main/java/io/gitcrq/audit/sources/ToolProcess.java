package io.gitcrq.audit.sources;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** An external capture tool (strace, inotifywait, ip, tcpdump) with line readers and a guaranteed stop. */
final class ToolProcess {

    private static final Set<ToolProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> LIVE.forEach(t -> t.process.destroyForcibly()), "audit-tools-shutdown"));
    }

    /** How long, once the tool ended, its output is read and handled before the rest is only counted. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(60);

    private final Process process;
    private final List<Thread> readers = new ArrayList<>();
    /** Past the drain bound: stdout lines are counted in {@link #skipped}, no longer handled. */
    private volatile boolean skipping;

    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean drained = true;

    private ToolProcess(Process process) {
        this.process = process;
    }

    static Optional<Path> which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Path require(String tool, String debianPackage, String kind) throws AuditSourceUnavailableException {
        return which(tool)
                .orElseThrow(() -> new AuditSourceUnavailableException("audit source '" + kind + "' needs '" + tool
                        + "' (Debian package " + debianPackage + ")" + " which is not installed on this host"));
    }

    static ToolProcess start(String name, List<String> command, Consumer<String> stdout, Consumer<String> stderr)
            throws IOException {
        return start(name, command, null, stdout, stderr);
    }

    /** As {@link #start(String, List, Consumer, Consumer)}, in working directory {@code dir} (null: ours). */
    static ToolProcess start(
            String name, List<String> command, Path dir, Consumer<String> stdout, Consumer<String> stderr)
            throws IOException {
        return start(name, command, dir, Records.LINES, stdout, stderr);
    }

    /** How a tool's stdout is cut into the records handed on. */
    private enum Records {
        /** UTF-8 lines (a line feed, a carriage return or both end one). */
        LINES,
        /** ISO-8859-1 text to each line feed only, read in batches ({@link #startReporting}). */
        LINE_FEEDS_BATCHED,
        /** UTF-8 text to each NUL: a record may hold line feeds ({@link #startNulTerminated}). */
        NUL_TERMINATED
    }

    /**
     * A tool whose records end with a NUL (inotifywait's {@code %0} with {@code --no-newline}): what it reports may
     * hold line feeds (a file name may), which then stay inside their record.
     */
    static ToolProcess startNulTerminated(
            String name, List<String> command, Consumer<String> stdout, Consumer<String> stderr) throws IOException {
        return start(name, command, null, Records.NUL_TERMINATED, stdout, stderr);
    }

    /**
     * A tool that reports many small events, one per line (gitcrq-proctrace): its output is read as bytes
     * (ISO-8859-1, one character per byte, as such a tool pads its columns), a line ends at a line feed only (a carriage
     * return the tool copied from what it reports stays inside its line), and it is read in batches: once what has
     * arrived is read, the reader pauses {@link #BATCH_PAUSE} rather than being woken for every line, which cost a
     * workload of short processes more than the tool itself.
     */
    static ToolProcess startReporting(
            String name, List<String> command, Consumer<String> stdout, Consumer<String> stderr) throws IOException {
        return start(name, command, null, Records.LINE_FEEDS_BATCHED, stdout, stderr);
    }

    /** How long a batched reader pauses once it read what had arrived. */
    static final Duration BATCH_PAUSE = Duration.ofMillis(50);

    private static ToolProcess start(
            String name,
            List<String> command,
            Path dir,
            Records records,
            Consumer<String> stdout,
            Consumer<String> stderr)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        ToolProcess tp = new ToolProcess(p);
        LIVE.add(tp);
        tp.reader(name + "-out", p.getInputStream(), records, stdout, true);
        tp.reader(name + "-err", p.getErrorStream(), Records.LINES, stderr, false);
        return tp;
    }

    private void reader(String name, InputStream in, Records records, Consumer<String> lines, boolean counted) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(
                            in,
                            records == Records.LINE_FEEDS_BATCHED
                                    ? StandardCharsets.ISO_8859_1
                                    : StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = next(r, records)) != null) {
                            if (counted && skipping) {
                                skipped.incrementAndGet();
                            } else if (lines != null) {
                                lines.accept(line);
                            }
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // process gone
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        readers.add(t);
    }

    private static String next(BufferedReader r, Records records) throws IOException {
        return switch (records) {
            case LINES -> r.readLine();
            case LINE_FEEDS_BATCHED -> batchedToLineFeed(r);
            case NUL_TERMINATED -> toNul(r);
        };
    }

    /** The text up to the next NUL (without it), or null at the end. */
    private static String toNul(BufferedReader r) throws IOException {
        StringBuilder record = new StringBuilder();
        int c;
        while ((c = r.read()) != -1 && c != 0) {
            record.append((char) c);
        }
        return c == -1 && record.isEmpty() ? null : record.toString();
    }

    /**
     * The text up to the next line feed (without it), or null at the end; when nothing more has arrived, it pauses
     * {@link #BATCH_PAUSE} first.
     */
    private static String batchedToLineFeed(BufferedReader r) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while (true) {
            if (!r.ready()) {
                try {
                    Thread.sleep(BATCH_PAUSE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            c = r.read();
            if (c == -1 || c == '\n') {
                break;
            }
            line.append((char) c);
        }
        return c == -1 && line.isEmpty() ? null : line.toString();
    }

    /** Past {@link #stop(Duration, Duration)}'s drain bound, stdout lines read but not handled. */
    long skippedLines() {
        return skipped.get();
    }

    /** False when {@link #stop(Duration, Duration)} could not handle the tool's whole output within its bound. */
    boolean drained() {
        return drained;
    }

    /** From now on, stdout lines are only counted ({@link #skippedLines()}), no longer handled. */
    void skipFromNow() {
        drained = false;
        skipping = true;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the tool to end by itself; its exit code, or empty if it still runs after {@code timeout}. */
    Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** SIGTERM, wait {@code grace}, then SIGKILL; drains the output readers. Returns the exit code (or -1). */
    int stop(Duration grace) {
        return stop(grace, DEFAULT_DRAIN);
    }

    /**
     * SIGTERM, wait {@code grace}, then SIGKILL; then reads the tool's output to its end: each stdout line is handled
     * for at most {@code drain}, past it only counted ({@link #skippedLines()}, and {@link #drained()} false), for at
     * most 30 s more (what is left then is not read). Returns the exit code (or -1).
     */
    int stop(Duration grace, Duration drain) {
        try {
            if (process.isAlive()) {
                // SIGTERM through the handle: Process.destroy() also closes our pipe ends, so the tool's final
                // output (tcpdump statistics, strace's last lines) would hit EPIPE
                process.toHandle().destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            long deadline = System.nanoTime() + drain.toNanos();
            for (Thread t : readers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (readers.stream().anyMatch(Thread::isAlive)) {
                drained = false;
                skipping = true;
                for (Thread t : readers) {
                    t.join(30_000);
                }
            }
            return process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } finally {
            LIVE.remove(this);
        }
    }

    /** What a short command printed (stdout and stderr together) and its exit code. */
    record Outcome(int exitCode, String output) {}

    /**
     * Runs a short command (e.g. {@code iptables -S}) to its end: its exit code and what it printed.
     *
     * @throws IOException when it cannot start, or still runs after {@code timeout} (then it is killed)
     */
    static Outcome runToEnd(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try (InputStream out = p.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within " + timeout);
            }
            return new Outcome(p.exitValue(), output.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }

    /** {@code ip netns exec NS} prefix when a namespace is requested. */
    static List<String> inNetns(String netns, List<String> command) throws AuditSourceUnavailableException {
        if (netns == null || netns.isBlank()) {
            return command;
        }
        List<String> c = new ArrayList<>();
        c.add(require("ip", "iproute2", "netns").toString());
        c.add("netns");
        c.add("exec");
        c.add(netns);
        c.addAll(command);
        return c;
    }
}
