package io.gitcrq.testsupport.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary directories a test fixture makes outside JUnit's {@code @TempDir} (which only a test class has): removed
 * with whatever they hold when the JVM ends, so a test run leaves nothing behind in the temporary directory.
 */
public final class TempTrees {

    private static final List<Path> MADE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(TempTrees::deleteQuietly), "temp-trees"));
    }

    private TempTrees() {}

    /** A new temporary directory, removed at the JVM's end. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code tree} and everything in it; what cannot be removed is left, said on stderr. */
    public static void deleteQuietly(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + tree + ": " + e);
        }
    }
}
