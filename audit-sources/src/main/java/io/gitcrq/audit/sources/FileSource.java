package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.FileChange;
import io.gitcrq.model.audit.FileSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code file}: create / modify / delete / rename under the target directories (recursive; new subdirectories are
 * followed). Records: {@code {op: created|modified|deleted|renamed, path, from (renamed), isDir, size, sha256,
 * hashedBytes, hashTruncated, mechanism}}. Regular files are hashed (SHA-256) when created/modified/renamed; files
 * bigger than {@code maxHashBytes} are hashed over their first {@code maxHashBytes} bytes and marked
 * {@code hashTruncated:true}.
 *
 * <p>Mechanism (chosen at start, the first this host allows of those the source may use):
 * <ul>
 *   <li>{@code fanotify}: {@link BundledProgram gitcrq-filetrace}, which reports what inotifywait does (below) with the
 *   process that made each change ({@code pid}), and what was made in a new directory before it was watched. Needs
 *   CAP_SYS_ADMIN (the kernel names other processes only to a privileged listener) and Linux 5.17; where it cannot
 *   start, the summary's {@code note} says why and inotifywait runs.</li>
 *   <li>{@code inotifywait -m -r --format '%c|%e|%w%f%0' --no-newline} (Debian package {@code inotify-tools}) - renames are paired
 *   via the MOVED_FROM/MOVED_TO cookie; a MOVED_FROM without partner (moved out of the tree) becomes
 *   {@code deleted} (movedOut), a lone MOVED_TO becomes {@code created} (movedIn). A file is reported
 *   {@code created} at its first CLOSE_WRITE (so the hash covers the written content), {@code modified} at later
 *   CLOSE_WRITEs; files created but never written-and-closed (links, mknod) are reported at the next event/stop.</li>
 *   <li>fallback, when inotifywait is missing: Java's WatchService - it cannot pair renames, so a rename is
 *   reported as {@code deleted} + {@code created} ({@code mechanism:"watchservice"}); modifications are reported per
 *   ENTRY_MODIFY (may repeat for one write sequence).</li>
 * </ul>
 * Limits: the hash is of the content when the event is processed (a file rewritten again within milliseconds is
 * hashed with its newer content; the later event then carries the same hash); files created inside a brand-new directory before its watch is set up can be missed with inotifywait
 * (fanotify finds them by walking the new directory);
 * the kernel queue overflow (IN_Q_OVERFLOW / OVERFLOW) is counted as dropped (toolOverrun: one per overflow, the
 * kernel does not say how many were lost); a path holding a line feed is kept exactly (inotifywait's records end with a
 * NUL, gitcrq-filetrace escapes it).
 *
 * <p>Counting: one event seen per change reported (a created file is one change, its CREATE and first CLOSE_WRITE
 * together). Stop drains: the source writes a marker file ({@code .gitcrq-audit-drain-<random>}, in the first
 * watched directory, removed at the end; never reported) and handles every change the tool reports before the marker,
 * which the kernel reports after the command's own changes; what the tool reports after the marker happened after the
 * stop and is not seen. Past the drain timeout (60 s by default) the changes still before the marker are only counted
 * (dropped, notDrained) and the summary says {@code fellBehind}.
 */
public final class FileSource extends AbstractAuditSource {

    public static final long DEFAULT_MAX_HASH_BYTES = 64L * 1024 * 1024;

    /** How long, at stop, the source handles what its tool reports before it only counts the rest. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /** Past the drain timeout, how long the source still counts what its tool reports, up to the marker. */
    private static final Duration COUNT_ONLY_TIMEOUT = Duration.ofSeconds(30);

    /** The name of the marker file the source writes at stop (with a random part), never reported. */
    static final String MARKER_PREFIX = ".gitcrq-audit-drain-";

    /** What watches the directories, the most capable first. */
    public enum Mechanism {
        FANOTIFY("fanotify"),
        INOTIFYWAIT("inotifywait"),
        WATCHSERVICE("watchservice");

        private final String label;

        Mechanism(String label) {
            this.label = label;
        }

        /** As summaries and records name it. */
        public String label() {
            return label;
        }
    }

    private final long maxHashBytes;
    /** The most capable mechanism the source may use. */
    private final Mechanism best;

    private final Duration drainTimeout;
    /** Guards the event handling state: never the source's own monitor, which {@link #stop()} holds. */
    private final Object lock = new Object();

    private final String marker = MARKER_PREFIX + UUID.randomUUID();
    private Path markerFile;
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    /** Past the drain timeout: changes are counted as dropped (notDrained), not hashed nor queued. */
    private volatile boolean countOnly;
    /** The marker was seen: what the tool reports after it happened after the stop and is not seen. */
    private volatile boolean sealed;

    private String mechanism;
    /** Why a more capable mechanism than the one running could not start, or null. */
    private String notUsed;

    private long overflows;

    // fanotify and inotifywait state
    private ToolProcess tool;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<String> toolErrors = new ArrayList<>();
    private final Map<String, ToolLine> pendingMoveFrom = new LinkedHashMap<>(); // cookie -> its MOVED_FROM
    /** Created files not closed after writing yet, with the process that created them. */
    private final Map<String, Long> createdNotClosed = new LinkedHashMap<>();

    // WatchService state
    private WatchService watcher;
    private Thread watchThread;
    private final Map<WatchKey, Path> keys = new HashMap<>();

    public FileSource() {
        this(DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_HASH_BYTES, Mechanism.FANOTIFY);
    }

    /** @param best the most capable mechanism to use: {@link Mechanism#WATCHSERVICE} forces the fallback */
    public FileSource(int queueCapacity, long maxHashBytes, Mechanism best) {
        this(queueCapacity, maxHashBytes, best, DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * @param drainTimeout at stop, how long the source handles the changes its tool still reports, up to its drain
     *     marker; past it, it only counts them (dropped, notDrained) and its summary says it fell behind
     */
    public FileSource(int queueCapacity, long maxHashBytes, Mechanism best, Duration drainTimeout) {
        super("file", queueCapacity);
        this.maxHashBytes = maxHashBytes;
        this.best = best;
        this.drainTimeout = drainTimeout;
    }

    /** The watching tool's pid (tests pause it to make the source fall behind); 0 without one. */
    long toolPid() {
        return tool == null ? 0 : tool.pid();
    }

    /** "fanotify", "inotifywait" or "watchservice" (after start). */
    public String mechanism() {
        return mechanism;
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        if (target.directories().isEmpty()) {
            throw new IllegalArgumentException("file source needs AuditTarget.directories");
        }
        for (Path d : target.directories()) {
            if (!Files.isDirectory(d)) {
                throw new IOException("not a directory: " + d);
            }
        }
        List<Path> dirs = target.directories();
        if (best == Mechanism.FANOTIFY) {
            Optional<String> why = fanotifyUnavailable();
            if (why.isEmpty()) {
                try {
                    startTool(Mechanism.FANOTIFY, fanotifyCommand(dirs), dirs);
                    return;
                } catch (IOException e) {
                    why = Optional.of(e.getMessage());
                }
                notUsed = "fanotify not used (" + why.get() + "): changes carry no pid";
            }
        }
        if (best != Mechanism.WATCHSERVICE && ToolProcess.which("inotifywait").isPresent()) {
            startTool(Mechanism.INOTIFYWAIT, inotifywaitCommand(dirs), dirs);
        } else {
            startWatchService(dirs);
        }
    }

    /**
     * Why this host cannot watch with fanotify, or empty: gitcrq-filetrace in this build and CAP_SYS_ADMIN (whether the
     * kernel and the file system allow it shows when it starts).
     */
    public static Optional<String> fanotifyUnavailable() {
        try {
            BundledProgram.path(BundledProgram.FILETRACE);
        } catch (AuditSourceUnavailableException | UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
        return Capabilities.effective(Capabilities.CAP_SYS_ADMIN)
                ? Optional.empty()
                : Optional.of("fanotify names the processes that made changes only to an agent with CAP_SYS_ADMIN");
    }

    // ---------------------------------------------------------------- fanotify and inotifywait

    private static List<String> fanotifyCommand(List<Path> dirs) throws AuditSourceUnavailableException {
        List<String> cmd = new ArrayList<>(
                List.of(BundledProgram.path(BundledProgram.FILETRACE).toString()));
        for (Path d : dirs) {
            cmd.add(d.toAbsolutePath().toString());
        }
        return cmd;
    }

    private static List<String> inotifywaitCommand(List<Path> dirs) {
        List<String> cmd = new ArrayList<>(List.of(
                ToolProcess.which("inotifywait").orElseThrow().toString(),
                "-m",
                "-r",
                "--format",
                "%c|%e|%w%f%0", // NUL-terminated: a file name may hold a line feed
                "--no-newline",
                "-e",
                "create",
                "-e",
                "close_write",
                "-e",
                "delete",
                "-e",
                "moved_from",
                "-e",
                "moved_to"));
        for (Path d : dirs) {
            cmd.add(d.toAbsolutePath().toString());
        }
        return cmd;
    }

    /** Starts the watching tool and waits until it says its watches are established. */
    private void startTool(Mechanism which, List<String> cmd, List<Path> dirs) throws IOException {
        mechanism = which.label();
        markerFile = dirs.get(0).toAbsolutePath().resolve(marker);
        boolean withPid = which == Mechanism.FANOTIFY;
        Consumer<String> errors = line -> {
            if (line.startsWith("Watches established")) {
                ready.countDown();
            } else if (!line.startsWith("Setting up watches")) {
                synchronized (toolErrors) {
                    if (toolErrors.size() < 20) {
                        toolErrors.add(line);
                    }
                }
            }
        };
        Consumer<String> records = line -> toolLine(line, withPid);
        tool = withPid // gitcrq-filetrace escapes what a line feed would break; inotifywait ends each with a NUL
                ? ToolProcess.start(mechanism, cmd, records, errors)
                : ToolProcess.startNulTerminated(mechanism, cmd, records, errors);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ready.await(50, TimeUnit.MILLISECONDS)) {
                if (!tool.isAlive() || System.nanoTime() - deadline > 0) {
                    Thread.sleep(100); // its last words
                    tool.stop(Duration.ofSeconds(2));
                    tool = null;
                    String said;
                    synchronized (toolErrors) {
                        said = String.join("; ", toolErrors);
                        toolErrors.clear();
                    }
                    throw new IOException(mechanism + " did not establish its watches: " + said);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.stop(Duration.ofSeconds(2));
            throw new IOException("interrupted", e);
        }
    }

    private volatile long lastLineNanos = System.nanoTime();

    /**
     * One line of the tool's: {@code COOKIE|EVENTS|PATH} as inotifywait's format writes it, after {@code PID|} with
     * fanotify (0: not known), whose PATH has each control byte and backslash written {@code \xHH} (a file name may
     * hold a line feed; inotifywait's records end with a NUL instead).
     */
    record ToolLine(Long pid, String cookie, Set<String> events, String path) {

        static Optional<ToolLine> parse(String line, boolean withPid) {
            Long pid = null;
            String rest = line;
            if (withPid) {
                int bar = line.indexOf('|');
                try {
                    long p = Long.parseLong(line.substring(0, Math.max(bar, 0)));
                    pid = p > 0 ? p : null;
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                rest = line.substring(bar + 1);
            }
            String[] f = rest.split("\\|", 3);
            if (f.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ToolLine(pid, f[0], Set.of(f[1].split(",")), withPid ? unescaped(f[2]) : f[2]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private static String unescaped(String path) {
            return HexEscapes.decode(path, c -> c >= ' ' && c != 0x7f);
        }
    }

    void toolLine(String line, boolean withPid) {
        synchronized (lock) {
            handleLine(line, withPid);
        }
    }

    private void handleLine(String text, boolean withPid) {
        lastLineNanos = System.nanoTime();
        if (sealed) {
            return;
        }
        Optional<ToolLine> parsed = ToolLine.parse(text, withPid);
        if (parsed.isEmpty()) {
            countDropped(SourceSummary.UNPARSABLE, 1);
            return;
        }
        ToolLine line = parsed.get();
        Long pid = line.pid();
        String cookie = line.cookie();
        Set<String> events = line.events();
        String path = line.path();
        boolean isDir = events.contains("ISDIR");
        if (events.contains("Q_OVERFLOW")) {
            overflows++;
            countDropped(SourceSummary.TOOL_OVERRUN, 1);
            return;
        }
        if (isMarker(path)) {
            if (events.contains("CLOSE_WRITE")) {
                sealed = true;
                markerSeen.countDown();
            }
            return;
        }
        if (events.contains("MOVED_TO")) {
            ToolLine from = pendingMoveFrom.remove(cookie);
            flushMovedOut();
            if (from != null) {
                report(
                        base(FileChange.RENAMED, path, isDir, pid).renamedFrom(from.path()),
                        isDir ? null : Path.of(path));
            } else {
                report(base(FileChange.CREATED, path, isDir, pid).asMovedIn(), isDir ? null : Path.of(path));
            }
            return;
        }
        flushMovedOut();
        if (events.contains("MOVED_FROM")) {
            pendingMoveFrom.put(cookie, line);
            createdNotClosed.remove(path);
            return;
        }
        if (events.contains("CREATE")) {
            if (isDir) {
                report(base(FileChange.CREATED, path, true, pid), null);
            } else {
                createdNotClosed.putIfAbsent(path, pid);
            }
            return;
        }
        if (events.contains("CLOSE_WRITE")) {
            boolean created = createdNotClosed.containsKey(path);
            createdNotClosed.remove(path);
            report(base(created ? FileChange.CREATED : FileChange.MODIFIED, path, false, pid), Path.of(path));
            return;
        }
        if (events.contains("DELETE")) {
            if (createdNotClosed.containsKey(path)) {
                report(base(FileChange.CREATED, path, isDir, createdNotClosed.remove(path)), null);
            }
            report(base(FileChange.DELETED, path, isDir, pid), null);
            return;
        }
        countDropped(SourceSummary.UNPARSABLE, 1);
    }

    private boolean isMarker(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(slash + 1).equals(marker);
    }

    /**
     * One change seen: hashed ({@code content} not null) and queued, or, past the drain timeout, only counted as
     * dropped (notDrained).
     */
    private void report(FileChange change, Path content) {
        if (countOnly) {
            countDropped(SourceSummary.NOT_DRAINED, 1);
        } else {
            emit(content == null ? change : hashed(content, change));
        }
    }

    private void flushMovedOut() {
        for (ToolLine from : pendingMoveFrom.values()) {
            report(
                    base(FileChange.DELETED, from.path(), from.events().contains("ISDIR"), from.pid())
                            .asMovedOut(),
                    null);
        }
        pendingMoveFrom.clear();
    }

    private void flushCreated() {
        createdNotClosed.forEach((path, pid) -> report(base(FileChange.CREATED, path, false, pid), Path.of(path)));
        createdNotClosed.clear();
    }

    // ---------------------------------------------------------------- WatchService fallback

    private void startWatchService(List<Path> dirs) throws IOException {
        mechanism = "watchservice";
        markerFile = dirs.get(0).toAbsolutePath().resolve(marker);
        watcher = FileSystems.getDefault().newWatchService();
        for (Path d : dirs) {
            registerTree(d.toAbsolutePath(), false);
        }
        watchThread = new Thread(this::watchLoop, "audit-file-watchservice");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    private void registerTree(Path root, boolean reportContents) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    keys.put(
                            p.register(
                                    watcher,
                                    StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_DELETE,
                                    StandardWatchEventKinds.ENTRY_MODIFY),
                            p);
                }
                if (reportContents && !p.equals(root)) {
                    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    report(base(FileChange.CREATED, p.toString(), dir), dir ? null : p);
                }
            }
        }
    }

    private void watchLoop() {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            synchronized (lock) {
                Path dir = keys.get(key);
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (sealed) {
                        break;
                    }
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflows++;
                        countDropped(SourceSummary.TOOL_OVERRUN, 1);
                        continue;
                    }
                    if (dir == null) {
                        continue;
                    }
                    Path p = dir.resolve((Path) ev.context());
                    if (p.getFileName().toString().equals(marker)) {
                        if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                            sealed = true;
                            markerSeen.countDown();
                        }
                        continue;
                    }
                    boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                        report(base(FileChange.CREATED, p.toString(), isDir), isDir ? null : p);
                        if (isDir) {
                            try {
                                registerTree(p, true);
                            } catch (IOException e) {
                                // what the new directory held is lost to the mechanism
                                countDropped(SourceSummary.TOOL_OVERRUN, 1);
                            }
                        }
                    } else if (ev.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
                        if (!isDir && Files.exists(p)) {
                            report(base(FileChange.MODIFIED, p.toString(), false), p);
                        }
                    } else if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                        report(base(FileChange.DELETED, p.toString(), false), null);
                    }
                }
                if (!key.reset()) {
                    keys.remove(key);
                }
            }
        }
    }

    // ---------------------------------------------------------------- common

    private FileChange base(String op, String path, boolean isDir) {
        return FileChange.of(op, path, isDir, mechanism);
    }

    private FileChange base(String op, String path, boolean isDir, Long pid) {
        return base(op, path, isDir).byProcess(pid);
    }

    /** The change with what is known of the file's content: size and SHA-256, its type, or why it was unreadable. */
    private FileChange hashed(Path file, FileChange change) {
        Long size = null;
        Boolean truncated = null;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return change.ofType(a.isSymbolicLink() ? "symlink" : "other");
            }
            size = a.size();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while (total < maxHashBytes
                        && (n = in.read(buf, 0, (int) Math.min(buf.length, maxHashBytes - total))) > 0) {
                    md.update(buf, 0, n);
                    total += n;
                }
                truncated = total >= maxHashBytes && in.read() >= 0;
            }
            return change.content(size, truncated, HexFormat.of().formatHex(md.digest()), total, null);
        } catch (IOException e) {
            // gone already
            return change.content(size, truncated, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void doStop() {
        if (tool == null && watcher == null) {
            return;
        }
        drain();
        if (tool != null) {
            tool.stop(Duration.ofSeconds(2), COUNT_ONLY_TIMEOUT);
            if (tool.skippedLines() > 0) {
                synchronized (lock) {
                    countDropped(SourceSummary.NOT_DRAINED, tool.skippedLines());
                }
            }
            if (!tool.drained()) {
                fellBehind();
            }
            synchronized (lock) {
                flushMovedOut();
                flushCreated();
            }
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing
            }
            if (watchThread != null) {
                try {
                    watchThread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (lock) {
                sealed = true; // the watch thread, if still busy, reports nothing more
            }
        }
        try {
            Files.deleteIfExists(markerFile);
        } catch (IOException e) {
            toolMessage("cannot remove the drain marker " + markerFile + ": " + e.getMessage());
        }
    }

    /**
     * Reads what the tool reports up to now: writes the drain marker (a file written and closed in the first watched
     * directory, after the command's changes) and handles the changes reported before it, for at most the drain
     * timeout; past it, only counts them (notDrained) up to the marker, and the source fell behind. Without a marker
     * (the directory is gone or read-only), waits for 500 ms of quiet instead, within the same bounds.
     */
    private void drain() {
        boolean marked;
        try {
            Files.writeString(markerFile, "gitcrq audit drain marker\n");
            marked = true;
        } catch (IOException e) {
            marked = false;
            toolMessage("cannot write the drain marker, waited for quiet instead: " + e.getMessage());
        }
        try {
            if (marked) {
                if (!awaitMarker(drainTimeout) && toolAlive()) {
                    countOnly = true;
                    fellBehind();
                    awaitMarker(COUNT_ONLY_TIMEOUT);
                }
            } else {
                long deadline = System.nanoTime() + drainTimeout.toNanos();
                while (System.nanoTime() - lastLineNanos < TimeUnit.MILLISECONDS.toNanos(500)) {
                    if (System.nanoTime() > deadline) {
                        countOnly = true;
                        fellBehind();
                        break;
                    }
                    Thread.sleep(25);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            countOnly = true;
            fellBehind();
        }
    }

    /** Whether the marker was seen within {@code timeout}; false too as soon as the tool ended (nothing more comes). */
    private boolean awaitMarker(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (markerSeen.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !toolAlive()) {
                return false;
            }
            markerSeen.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private boolean toolAlive() {
        return tool == null ? watchThread != null && watchThread.isAlive() : tool.isAlive();
    }

    private void toolMessage(String message) {
        synchronized (toolErrors) {
            if (toolErrors.size() < 20) {
                toolErrors.add(message);
            }
        }
    }

    @Override
    protected FileSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new FileSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    null,
                    null,
                    null,
                    null,
                    stopError,
                    sinkFailures);
        }
        return new FileSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                mechanism,
                overflows,
                toolErrors.isEmpty() ? null : List.copyOf(toolErrors),
                "watchservice".equals(mechanism)
                        ? "inotifywait (Debian package inotify-tools) not used: renames reported as deleted+created"
                        : notUsed,
                null,
                sinkFailures);
    }
}
