package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gitcrq} as a user runs it: from their own directory, not the gitcrq checkout. */
class GitcrqScriptIT {

    private final Path repoRoot = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void theCliWorksInTheUsersDirectorySoHooksGoIntoTheirClone() throws Exception {
        Path clone = work.resolve("clone");
        Files.createDirectories(clone);
        git(clone, "init", "-q", "-b", "main");
        Path checkoutHooks = repoRoot.resolve(".git").resolve("hooks");
        boolean checkoutHadHook = Files.exists(checkoutHooks.resolve("commit-msg"));

        Process p = new ProcessBuilder(repoRoot.resolve("gitcrq").toString(), "hooks", "install")
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(clone.resolve(".git/hooks/commit-msg")).exists();
        assertThat(clone.resolve(".git/hooks/pre-push")).exists();
        assertThat(Files.exists(checkoutHooks.resolve("commit-msg")))
                .as("the gitcrq checkout's own hooks are left alone")
                .isEqualTo(checkoutHadHook);
    }
}
