package io.gitcrq.execagent.tmux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The wrapper script run by bash itself (no tmux): quoting, working directory, log and exit status. */
class ManagedCommandTest {

    @TempDir
    Path temp;

    @Test
    void theWrapperRunsTheCommandVerbatimInItsDirectoryAndRecordsOutputAndStatus() throws Exception {
        Path cwd = Files.createDirectories(temp.resolve("it's a \"dir\" $HOME"));
        ManagedCommand command = ManagedCommand.in(temp.resolve("logs"), "exec-1");
        assertThat(command.exitCode()).isEmpty();

        List<String> program = command.prepare("printf '%s|' \"it's\" $'tab\\there' \"$(basename \"$PWD\")\"; "
                + "echo; echo to-stderr >&2; exit 7", cwd, "CRQ-3");
        run(program);

        assertThat(command.exitCode()).hasValue(7);
        assertThat(Files.readString(command.logFile()))
                .isEqualTo("it's|tab\there|it's a \"dir\" $HOME|\nto-stderr\n");
        assertThat(Files.list(temp.resolve("logs")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("exec-1.sh", "exec-1.log", "exec-1.exit");
    }

    @Test
    void aWorkingDirectoryGoneMissingIsAFailureWithALog() throws Exception {
        ManagedCommand command = ManagedCommand.in(temp, "exec-2");
        run(command.prepare("echo never", temp.resolve("gone"), "CRQ-3"));

        assertThat(command.exitCode()).hasValue(1);
        assertThat(Files.readString(command.logFile())).contains("cannot enter").doesNotContain("never");
    }

    /** The wrapper ends in an interactive shell; with no terminal it reads end of input and ends at once. */
    private static void run(List<String> program) throws Exception {
        Process process = new ProcessBuilder(program).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
}
