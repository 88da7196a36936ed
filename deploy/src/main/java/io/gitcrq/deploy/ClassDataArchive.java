package io.gitcrq.deploy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A program's class-data archive (the JVM's dynamic AppCDS, as Quarkus makes it with
 * {@code -XX:ArchiveClassesAtExit}): the classes a run loaded, parsed and verified once and mapped by the next runs,
 * which then start on less CPU. Kept beside the program's jar, one per JVM version (an archive is only of use to the
 * JVM build that wrote it: {@code app-cds-17.0.15+6-Debian-1deb12u1.jsa}). A start with no current archive records
 * one at its exit into a file of its own ({@link Recording}), which becomes the archive (an atomic rename) only once
 * the run ended cleanly and a JVM mapped it: two processes of one program never write one file, and a half-written
 * archive, which a JVM mapping it dies of, is never used. The archive is current while it is newer than the jar (the
 * JVM refuses it otherwise; the next clean stop records a new one). The JVM's notes on what it leaves out or cannot
 * map go nowhere: a start without the archive is only slower.
 */
public final class ClassDataArchive {

    /** This JVM's archive's name. */
    static final String FILE_NAME = "app-cds-" + Runtime.version() + ".jsa";

    private static final String RECORDING = ".recording";
    /** Every log line of the JVM's class-data sharing off (what it leaves out of an archive, one it cannot map). */
    private static final String QUIET = "-Xlog:cds*=off";

    private static final long CHECK_SECONDS = 120;

    private final Path jar;
    private final String classPath;
    private final Path archive;

    private ClassDataArchive(Path jar, String classPath) {
        this.jar = jar;
        this.classPath = classPath;
        this.archive = jar.resolveSibling(FILE_NAME);
    }

    /**
     * The archive of the program whose jar this is, kept in the jar's directory; {@code classPath} is the class path
     * the program runs with (the jar itself for {@code java -jar}): the JVM maps an archive only for that class path.
     */
    public static ClassDataArchive beside(Path jar, String classPath) {
        return new ClassDataArchive(jar, classPath);
    }

    /** What one start adds to the JVM's options: the archive to map, or where to record one at exit. */
    public record Use(List<String> jvmOptions, Recording recording) {}

    /** An archive a run writes at its exit, and the class path it is for. */
    public record Recording(Path file, String classPath) {

        /** The run ended: {@link #keep} if it stopped cleanly, else {@link #discard}. */
        public void ended(boolean cleanly) {
            if (cleanly) {
                keep();
            } else {
                discard();
            }
        }

        /**
         * The run stopped cleanly: its recording becomes the archive beside it if a JVM maps it; otherwise, or if the
         * run wrote none, nothing changes.
         */
        public void keep() {
            try {
                if (Files.isRegularFile(file) && Files.size(file) > 0 && mapsCleanly()) {
                    // The archive's name, in front of the recording's own part (".<uuid>.recording").
                    String name = file.getFileName().toString();
                    String archiveName =
                            name.substring(0, name.lastIndexOf('.', name.length() - RECORDING.length() - 1));
                    Path archive = file.resolveSibling(archiveName);
                    try {
                        Files.move(file, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(file, archive, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                // Not kept: the next start records again.
            }
            discard();
        }

        /** The run was killed or did not stop in time: what it wrote may be half a file. */
        public void discard() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left behind: never read, as no archive is named so.
            }
        }

        /** A JVM that must map the archive ({@code -Xshare:on}) for the class path starts and ends normally. */
        private boolean mapsCleanly() throws IOException {
            Process check = new ProcessBuilder(
                            java(),
                            "-Xshare:on",
                            "-XX:SharedArchiveFile=" + file,
                            QUIET,
                            // A cut archive kills the JVM (SIGBUS): its crash report is not wanted anywhere.
                            "-XX:ErrorFile=/dev/null",
                            "-cp",
                            classPath,
                            "-version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (!check.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
                    check.destroyForcibly();
                    return false;
                }
                return check.exitValue() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                check.destroyForcibly();
                return false;
            }
        }
    }

    /** The options of a start now: map the archive if it is current, else record one. */
    public Use use() {
        if (current()) {
            return new Use(options("-XX:SharedArchiveFile=" + archive), null);
        }
        Path file = archive.resolveSibling(FILE_NAME + "." + UUID.randomUUID() + RECORDING);
        return new Use(options("-XX:ArchiveClassesAtExit=" + file), new Recording(file, classPath));
    }

    private static List<String> options(String option) {
        return List.of(option, QUIET);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private boolean current() {
        try {
            if (!Files.isRegularFile(archive)) {
                return false;
            }
            return Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
