package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the sources' bundled programs as nobody, without any capability: as an agent the kernel refuses. */
final class AsNobody {

    private AsNobody() {}

    /**
     * Copies {@code program} into {@code dir} (opened to others, so that nobody may run it there) and runs it with
     * {@code args}; its exit code and what it printed.
     */
    static ToolProcess.Outcome run(Path dir, String program, String... args) throws Exception {
        Path copy = dir.resolve(program);
        Files.copy(BundledProgram.path(program), copy);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                copy.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new ToolProcess.Outcome(p.exitValue(), output);
    }
}
