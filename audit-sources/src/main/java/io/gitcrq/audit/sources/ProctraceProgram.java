package io.gitcrq.audit.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * gitcrq-proctrace, the {@code process} source's eBPF program and its reader (built from src/main/bpf into this
 * module's jar): copied once per JVM into a directory of its own that only this user may enter (mode 0700), from
 * where it runs, and removed when the JVM ends.
 */
final class ProctraceProgram {

    static final String NAME = "gitcrq-proctrace";

    private static Path path;

    private ProctraceProgram() {}

    /**
     * The program, ready to run.
     *
     * @throws AuditSourceUnavailableException when this build has none (made without clang, bpftool and libbpf-dev)
     * @throws UncheckedIOException when it cannot be copied out
     */
    static synchronized Path path() throws AuditSourceUnavailableException {
        if (path == null) {
            try (InputStream in = ProctraceProgram.class.getResourceAsStream(NAME)) {
                if (in == null) {
                    throw new AuditSourceUnavailableException(
                            NAME + " is not in this build (it is made with clang, bpftool and libbpf-dev)");
                }
                Path dir = Files.createTempDirectory(NAME + "-"); // 0700: nobody else may replace what runs
                Path program = dir.resolve(NAME);
                Files.copy(in, program);
                Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("r-x------"));
                dir.toFile().deleteOnExit(); // removed in the reverse order: the program first
                program.toFile().deleteOnExit();
                path = program;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + NAME + " out of its jar", e);
            }
        }
        return path;
    }
}
