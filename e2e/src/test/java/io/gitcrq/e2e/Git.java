package io.gitcrq.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code git} command, as a developer pushing to gitcrq runs it. */
final class Git {

    private Git() {}

    /**
     * A bare repository {@code work/demo.git} whose main holds one commit (README.md), pushed from the clone
     * {@code work/clone}, which stays for further commits; answers the bare repository.
     */
    static Path demoRepository(Path work) throws IOException {
        Path bare = work.resolve("demo.git");
        Files.createDirectories(bare);
        run(bare, "init", "--bare", "-b", "main");
        Path clone = work.resolve("clone");
        run(work, "clone", bare.toString(), clone.toString());
        Files.writeString(clone.resolve("README.md"), "demo\n");
        run(clone, "add", ".");
        run(clone, "commit", "-m", "initial import");
        run(clone, "push", "origin", "main");
        return bare;
    }

    static String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Dev",
                "-c",
                "user.email=dev@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "advice.detachedHead=false"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
            }
            return out.trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
