package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a tool's output at stop is bounded, and exact either way: the lines handled within the bound and those only
 * counted past it are all the lines there were.
 */
@Timeout(120)
class DrainBoundTest {

    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    /** A consumer that takes its time over each line, as a source hashing files does. */
    private static java.util.function.Consumer<String> slow(AtomicLong handled) {
        return line -> {
            handled.incrementAndGet();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aFollowedFileReadPastItsBoundCountsTheRest() throws Exception {
        Path file = Files.writeString(
                dir.resolve("out.strace"),
                IntStream.range(0, LINES).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
        AtomicLong handled = new AtomicLong();
        FollowedFile followed = FollowedFile.start("test-follow", file, slow(handled));
        followed.finish(Duration.ofMillis(200));
        System.out.printf(
                "followed file: %d handled, %d counted past the bound%n", handled.get(), followed.skippedLines());
        assertThat(followed.drained()).isFalse();
        assertThat(followed.skippedLines()).isPositive();
        assertThat(handled.get() + followed.skippedLines()).isEqualTo(LINES);
    }

    @Test
    void aFollowedFileReadWithinItsBoundIsDrained() throws Exception {
        Path file = Files.writeString(dir.resolve("out.strace"), "a\nb\nlast without newline");
        AtomicLong handled = new AtomicLong();
        FollowedFile followed = FollowedFile.start("test-follow", file, line -> handled.incrementAndGet());
        followed.finish(Duration.ofSeconds(60));
        assertThat(followed.drained()).isTrue();
        assertThat(followed.skippedLines()).isZero();
        assertThat(handled.get()).isEqualTo(3);
    }

    @Test
    void aToolsOutputReadPastItsBoundCountsTheRest() throws Exception {
        int lines = 5_000; // under 64 KiB: all in the pipe when the tool ends
        AtomicLong handled = new AtomicLong();
        ToolProcess seq = ToolProcess.start(
                "test-seq",
                List.of(ToolProcess.require("seq", "coreutils", "test").toString(), Integer.toString(lines)),
                slow(handled),
                null);
        assertThat(seq.waitFor(Duration.ofSeconds(60))).contains(0);
        seq.stop(Duration.ofSeconds(2), Duration.ofMillis(200));
        System.out.printf("tool: %d handled, %d counted past the bound%n", handled.get(), seq.skippedLines());
        assertThat(seq.drained()).isFalse();
        assertThat(handled.get() + seq.skippedLines()).isEqualTo(lines);
    }
}
