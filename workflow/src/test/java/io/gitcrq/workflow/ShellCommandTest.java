package io.gitcrq.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShellCommandTest {

    private static final Path SCRIPT = Path.of("/tmp/s/script.sh");

    @Test
    void shellsAsActionsRunsThemOnLinux() {
        assertThat(ShellCommand.command(null, SCRIPT)).containsExactly("bash", "-e", "/tmp/s/script.sh");
        assertThat(ShellCommand.command("bash", SCRIPT))
                .containsExactly("bash", "--noprofile", "--norc", "-eo", "pipefail", "/tmp/s/script.sh");
        assertThat(ShellCommand.command("sh", SCRIPT)).containsExactly("sh", "-e", "/tmp/s/script.sh");
        assertThat(ShellCommand.command("perl -w {0} --x", SCRIPT))
                .containsExactly("perl", "-w", "/tmp/s/script.sh", "--x");
        assertThat(ShellCommand.command("bash -c 'source \"{0}\"'", SCRIPT))
                .containsExactly("bash", "-c", "source \"/tmp/s/script.sh\"");
        assertThat(ShellCommand.command("zsh", SCRIPT)).containsExactly("zsh", "/tmp/s/script.sh");
        assertThat(ShellCommand.scriptExtension("python")).isEqualTo(".py");
        assertThatThrownBy(() -> ShellCommand.command("cmd", SCRIPT)).hasMessageContaining("Windows");
    }
}
