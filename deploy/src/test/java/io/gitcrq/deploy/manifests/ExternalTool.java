package io.gitcrq.deploy.manifests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program the manifest tests run (docker-compose, kubectl): found on the PATH or at its usual place, or the test
 * fails saying how to install it. Never skipped: a check that does not run is no check.
 */
public record ExternalTool(Path program) {

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {}

    public static ExternalTool require(String name, String howToInstall) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        candidates.add(Path.of("/usr/local/bin", name));
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .map(ExternalTool::new)
                .orElseThrow(() -> new AssertionError(name + " is needed to check the deployment manifests and is not "
                        + "on the PATH (nor in /usr/bin, /usr/local/bin): " + howToInstall));
    }

    /**
     * Runs the program with these arguments in {@code dir}, with an environment without gitcrq's own variables (a
     * developer's GITCRQ_* must not fill in what the env file leaves out), and waits up to two minutes.
     */
    public Result run(Path dir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("gitcrq-tool", ".out");
            Path err = Files.createTempFile("gitcrq-tool", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().keySet().removeIf(k -> k.startsWith("GITCRQ_") || k.startsWith("COMPOSE_"));
                Process p = builder.start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError(command + " did not end within 2 minutes");
                }
                return new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Runs it and returns its standard output; any exit code but 0 fails with what it printed. */
    public String output(Path dir, List<String> args) {
        Result r = run(dir, args);
        if (r.exitCode() != 0) {
            throw new AssertionError(program.getFileName() + " " + String.join(" ", args) + " exited with "
                    + r.exitCode() + ":\n" + r.stderr() + r.stdout());
        }
        return r.stdout();
    }
}
