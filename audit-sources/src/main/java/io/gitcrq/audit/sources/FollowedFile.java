package io.gitcrq.audit.sources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The lines of a file another process is writing, read on a thread of its own from the file's start, like
 * {@code tail -F}: it waits for the file to appear, delivers each complete line, and once {@link #finish finishing}
 * reads what is left (a last line without its newline too) and ends.
 * <p>
 * A file rather than a FIFO: its writer (strace, started by someone else) never waits for this reader, and a reader
 * gone never breaks the writer — strace writing to a FIFO nobody reads would die of SIGPIPE, and with
 * {@code --seccomp-bpf} its tracees' traced calls would then fail.
 */
final class FollowedFile {

    /** How long the reader sleeps at the end of what is written so far: the delay before a record is seen. */
    private static final long POLL_MILLIS = 20;

    private final Path file;
    private final Consumer<String> lines;
    private final Thread reader;
    private volatile boolean finishing;
    /** Past {@link #finish}'s bound: lines are counted in {@link #skipped}, no longer delivered. */
    private volatile boolean skipping;

    private volatile long skipped;
    private volatile boolean drained = true;

    private FollowedFile(String name, Path file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
        this.reader = new Thread(this::read, name);
        reader.setDaemon(true);
    }

    static FollowedFile start(String name, Path file, Consumer<String> lines) {
        FollowedFile followed = new FollowedFile(name, file, lines);
        followed.reader.start();
        return followed;
    }

    /**
     * The writer is done (or no longer matters): reads the rest and waits for the reader, at most {@code timeout};
     * a reader still busy then only counts the lines left ({@link #skippedLines()}, {@link #drained()} false), for at
     * most 30 s more, and is then interrupted.
     */
    void finish(Duration timeout) {
        finishing = true;
        try {
            reader.join(Math.max(1, timeout.toMillis()));
            if (reader.isAlive()) {
                drained = false;
                skipping = true;
                reader.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.interrupt();
    }

    /** Lines read past {@link #finish}'s bound, counted but not delivered. */
    long skippedLines() {
        return skipped;
    }

    /** False when {@link #finish} could not deliver every line within its bound. */
    boolean drained() {
        return drained;
    }

    private void read() {
        try {
            while (true) {
                // the flag is read before looking: what was written before finish() is then always read
                boolean last = finishing;
                if (Files.exists(file)) {
                    break;
                }
                if (last) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                ByteArrayOutputStream line = new ByteArrayOutputStream(512);
                while (true) {
                    boolean last = finishing;
                    int n = in.read(buffer);
                    if (n < 0) {
                        if (last) {
                            break;
                        }
                        Thread.sleep(POLL_MILLIS);
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            deliver(line);
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    deliver(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException ignored) {
            // the file went away: what was read is all there is
        }
    }

    private void deliver(ByteArrayOutputStream line) {
        if (skipping) {
            line.reset();
            skipped++;
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        lines.accept(text);
    }
}
