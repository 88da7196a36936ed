package io.gitcrq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmarks do with git and their work directories, in one place. */
final class BenchGit {

    private BenchGit() {}

    /** Gives the repository the identity the benchmarks commit with. */
    static void identify(Path repo) throws Exception {
        git(repo, "config", "user.name", "Bench Marker");
        git(repo, "config", "user.email", "bench@example.com");
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    /** Runs the command with nothing on its stdin; its output (stdout and stderr) or why it failed. */
    static String run(Path dir, List<String> command) throws Exception {
        return run(dir, command, Map.of());
    }

    /** {@link #run(Path, List)} with {@code env} added to the command's environment. */
    static String run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ":\n" + out);
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
