package io.gitcrq.audit.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The audit sources' own programs (built from src/main/native into this module's jar): {@value #PROCTRACE} (the
 * {@code process} source's eBPF) and {@value #FILETRACE} (the {@code file} source's fanotify). Each is copied once per
 * JVM into a directory of its own that only this user may enter (mode 0700), from where it runs, and removed when the
 * JVM ends.
 */
final class BundledProgram {

    static final String PROCTRACE = "gitcrq-proctrace";
    static final String FILETRACE = "gitcrq-filetrace";

    private static final Map<String, Path> COPIES = new HashMap<>();

    private BundledProgram() {}

    /**
     * The program, ready to run.
     *
     * @throws AuditSourceUnavailableException when this build has none (made without gcc, clang, bpftool, libbpf-dev)
     * @throws UncheckedIOException when it cannot be copied out
     */
    static synchronized Path path(String name) throws AuditSourceUnavailableException {
        Path copy = COPIES.get(name);
        if (copy == null) {
            try (InputStream in = BundledProgram.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new AuditSourceUnavailableException(
                            name + " is not in this build (it is made with gcc, clang, bpftool and libbpf-dev)");
                }
                Path dir = Files.createTempDirectory(name + "-"); // 0700: nobody else may replace what runs
                copy = dir.resolve(name);
                Files.copy(in, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r-x------"));
                dir.toFile().deleteOnExit(); // removed in the reverse order: the program first
                copy.toFile().deleteOnExit();
                COPIES.put(name, copy);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + name + " out of its jar", e);
            }
        }
        return copy;
    }
}
