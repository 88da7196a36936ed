package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.FileChange;
import io.gitcrq.model.audit.FileSummary;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code file}: create / modify / delete / rename under the target directories (recursive; new subdirectories are
 * followed). Records: {@code {op: created|modified|deleted|renamed, path, from (renamed), isDir, size, sha256,
 * hashedBytes, hashTruncated, mechanism}}. Regular files are hashed (SHA-256) when created/modified/renamed; files
 * bigger than {@code maxHashBytes} are hashed over their first {@code maxHashBytes} bytes and marked
 * {@code hashTruncated:true}.
 *
 * <p>Mechanism (chosen at start):
 * <ul>
 *   <li>{@code inotifywait -m -r --format '%c|%e|%w%f'} (Debian package {@code inotify-tools}) - renames are paired
 *   via the MOVED_FROM/MOVED_TO cookie; a MOVED_FROM without partner (moved out of the tree) becomes
 *   {@code deleted} (movedOut), a lone MOVED_TO becomes {@code created} (movedIn). A file is reported
 *   {@code created} at its first CLOSE_WRITE (so the hash covers the written content), {@code modified} at later
 *   CLOSE_WRITEs; files created but never written-and-closed (links, mknod) are reported at the next event/stop.</li>
 *   <li>fallback, when inotifywait is missing: Java's WatchService - it cannot pair renames, so a rename is
 *   reported as {@code deleted} + {@code created} ({@code mechanism:"watchservice"}); modifications are reported per
 *   ENTRY_MODIFY (may repeat for one write sequence).</li>
 * </ul>
 * Limits: the hash is of the content when the event is processed (a file rewritten again within milliseconds is
 * hashed with its newer content; the later event then carries the same hash); files created inside a brand-new directory before its watch is set up can be missed (inotify race);
 * the kernel queue overflow (IN_Q_OVERFLOW / OVERFLOW) is counted as dropped; paths containing newlines are
 * unparsable with inotifywait (counted as dropped).
 */
public final class FileSource extends AbstractAuditSource {

    public static final long DEFAULT_MAX_HASH_BYTES = 64L * 1024 * 1024;

    private final long maxHashBytes;
    private final boolean allowInotifywait;
    private String mechanism;
    private long overflows;

    // inotifywait state
    private ToolProcess tool;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<String> toolErrors = new ArrayList<>();
    private final Map<String, String> pendingMoveFrom = new LinkedHashMap<>(); // cookie -> path
    private final Map<String, Boolean> pendingMoveFromIsDir = new HashMap<>();
    private final Set<String> createdNotClosed = new LinkedHashSet<>();

    // WatchService state
    private WatchService watcher;
    private Thread watchThread;
    private final Map<WatchKey, Path> keys = new HashMap<>();

    public FileSource() {
        this(DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_HASH_BYTES, true);
    }

    /** @param allowInotifywait false forces the WatchService fallback */
    public FileSource(int queueCapacity, long maxHashBytes, boolean allowInotifywait) {
        super("file", queueCapacity);
        this.maxHashBytes = maxHashBytes;
        this.allowInotifywait = allowInotifywait;
    }

    /** "inotifywait" or "watchservice" (after start). */
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
        if (allowInotifywait && ToolProcess.which("inotifywait").isPresent()) {
            startInotify(target.directories());
        } else {
            startWatchService(target.directories());
        }
    }

    // ---------------------------------------------------------------- inotifywait

    private void startInotify(List<Path> dirs) throws IOException {
        mechanism = "inotifywait";
        List<String> cmd = new ArrayList<>(List.of(
                ToolProcess.which("inotifywait").orElseThrow().toString(),
                "-m",
                "-r",
                "--format",
                "%c|%e|%w%f",
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
        tool = ToolProcess.start("inotifywait", cmd, this::inotifyLine, line -> {
            if (line.startsWith("Watches established")) {
                ready.countDown();
            } else if (!line.startsWith("Setting up watches")) {
                synchronized (toolErrors) {
                    if (toolErrors.size() < 20) {
                        toolErrors.add(line);
                    }
                }
            }
        });
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                tool.stop(Duration.ofSeconds(2));
                throw new IOException("inotifywait did not establish its watches: " + toolErrors);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.stop(Duration.ofSeconds(2));
            throw new IOException("interrupted", e);
        }
    }

    private volatile long lastLineNanos = System.nanoTime();

    synchronized void inotifyLine(String line) {
        lastLineNanos = System.nanoTime();
        String[] f = line.split("\\|", 3);
        if (f.length != 3) {
            countDropped(1);
            return;
        }
        String cookie = f[0];
        Set<String> events = Set.of(f[1].split(","));
        String path = f[2];
        boolean isDir = events.contains("ISDIR");
        if (events.contains("Q_OVERFLOW")) {
            overflows++;
            countDropped(1);
            return;
        }
        if (events.contains("MOVED_TO")) {
            String from = pendingMoveFrom.remove(cookie);
            pendingMoveFromIsDir.remove(cookie);
            flushMovedOut();
            if (from != null) {
                FileChange p = base(FileChange.RENAMED, path, isDir).renamedFrom(from);
                emit(isDir ? p : hashed(Path.of(path), p));
            } else {
                FileChange p = base(FileChange.CREATED, path, isDir).asMovedIn();
                emit(isDir ? p : hashed(Path.of(path), p));
            }
            return;
        }
        flushMovedOut();
        if (events.contains("MOVED_FROM")) {
            pendingMoveFrom.put(cookie, path);
            pendingMoveFromIsDir.put(cookie, isDir);
            createdNotClosed.remove(path);
            return;
        }
        if (events.contains("CREATE")) {
            if (isDir) {
                emit(base(FileChange.CREATED, path, true));
            } else {
                createdNotClosed.add(path);
            }
            return;
        }
        if (events.contains("CLOSE_WRITE")) {
            boolean created = createdNotClosed.remove(path);
            emit(hashed(Path.of(path), base(created ? FileChange.CREATED : FileChange.MODIFIED, path, false)));
            return;
        }
        if (events.contains("DELETE")) {
            if (createdNotClosed.remove(path)) {
                emit(base(FileChange.CREATED, path, isDir));
            }
            emit(base(FileChange.DELETED, path, isDir));
            return;
        }
        countDropped(1);
    }

    private void flushMovedOut() {
        for (Map.Entry<String, String> e : pendingMoveFrom.entrySet()) {
            emit(base(FileChange.DELETED, e.getValue(), pendingMoveFromIsDir.getOrDefault(e.getKey(), false))
                    .asMovedOut());
        }
        pendingMoveFrom.clear();
        pendingMoveFromIsDir.clear();
    }

    private void flushCreated() {
        for (String path : createdNotClosed) {
            emit(hashed(Path.of(path), base(FileChange.CREATED, path, false)));
        }
        createdNotClosed.clear();
    }

    // ---------------------------------------------------------------- WatchService fallback

    private void startWatchService(List<Path> dirs) throws IOException {
        mechanism = "watchservice";
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
                    FileChange m = base(FileChange.CREATED, p.toString(), dir);
                    emit(dir ? m : hashed(p, m));
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
            synchronized (this) {
                Path dir = keys.get(key);
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflows++;
                        countDropped(1);
                        continue;
                    }
                    if (dir == null) {
                        continue;
                    }
                    Path p = dir.resolve((Path) ev.context());
                    boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                        FileChange m = base(FileChange.CREATED, p.toString(), isDir);
                        emit(isDir ? m : hashed(p, m));
                        if (isDir) {
                            try {
                                registerTree(p, true);
                            } catch (IOException e) {
                                countDropped(1);
                            }
                        }
                    } else if (ev.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
                        if (!isDir && Files.exists(p)) {
                            emit(hashed(p, base(FileChange.MODIFIED, p.toString(), false)));
                        }
                    } else if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                        emit(base(FileChange.DELETED, p.toString(), false));
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
        if (tool != null) {
            // let events of the last moments arrive: wait for 150 ms of silence (at most 1 s)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < deadline
                    && System.nanoTime() - lastLineNanos < TimeUnit.MILLISECONDS.toNanos(150)) {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            tool.stop(Duration.ofSeconds(2));
            synchronized (this) {
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
        }
    }

    @Override
    protected FileSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new FileSummary(
                    counters.captured(), counters.dropped(), null, null, null, null, stopError, sinkFailures);
        }
        return new FileSummary(
                counters.captured(),
                counters.dropped(),
                mechanism,
                overflows,
                toolErrors.isEmpty() ? null : List.copyOf(toolErrors),
                "watchservice".equals(mechanism)
                        ? "inotifywait (Debian package inotify-tools) not used: renames reported as deleted+created"
                        : null,
                null,
                sinkFailures);
    }
}
