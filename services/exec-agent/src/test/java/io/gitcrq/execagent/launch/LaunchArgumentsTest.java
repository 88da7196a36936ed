package io.gitcrq.execagent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.execagent.service.HostPolicy;
import io.gitcrq.kit.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchArgumentsTest {

    @TempDir
    Path temp;

    @Test
    void aTitleInAShellsScriptIsReadAsDataWhereverItStands() throws Exception {
        Path pwned = temp.resolve("pwned");
        String title = "$(touch " + pwned + ") `touch " + pwned + "` ' \" ;";
        LaunchParameters parameters =
                new LaunchParameters().put("crq.title", title).put("crq", "CRQ-1");
        List<String> args = LaunchPlanner.arguments(
                "bash",
                List.of("-c", "echo \"q=${crq.title}\"; echo b=${crq.title}; echo 's=${crq.title}'; echo $$0", "n"),
                parameters);
        assertThat(args.get(1)).doesNotContain("touch");

        List<String> command = new ArrayList<>(List.of("bash"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GITCRQ_CRQ_TITLE", title);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        assertThat(out.lines()).containsExactly("q=" + title, "b=" + title, "s=" + title, "n");
        assertThat(pwned).doesNotExist();
    }

    @Test
    void aParameterIsAWordOfItsOwnForAProgramAndRefusedForAnotherInterpreter() {
        LaunchParameters parameters = new LaunchParameters().put("crq.title", "$(id); x");
        assertThat(LaunchPlanner.arguments("gemini", List.of("--prompt", "Work on ${crq.title}"), parameters))
                .containsExactly("--prompt", "Work on $(id); x");
        // bash's script file and its positional parameters are data too, only -c's operand is script.
        assertThat(LaunchPlanner.arguments("bash", List.of("-eo", "pipefail", "${crq.title}"), parameters))
                .containsExactly("-eo", "pipefail", "$(id); x");
        assertThatThrownBy(() -> LaunchPlanner.arguments("python3", List.of("-c", "print('${crq.title}')"), parameters))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("GITCRQ_CRQ_TITLE");
        assertThatThrownBy(() -> LaunchPlanner.arguments("bash", List.of("-c", "echo ${nope}"), parameters))
                .isInstanceOf(InvalidRequestException.class);
    }

    /** The README's example policy lets the shipped gemini profile run, and not the shipped shell (bash -i). */
    @Test
    void theReadmesExamplePolicyAllowsTheShippedGeminiProfile() throws Exception {
        Files.createDirectories(temp.resolve("profiles"));
        LaunchProfiles profiles = new LaunchProfiles(temp.resolve("profiles"));
        HostPolicy readme = new HostPolicy(List.of("make", "gemini"), List.of(), null);
        assertThat(readme.command(commandLine(profiles.resolve("gemini"))).argv())
                .containsExactly("gemini");
        assertThat(readme.command(commandLine(profiles.resolve("shell"))).refusal())
                .contains("'bash' runs scripts");
        assertThat(readme.command("make test").argv()).containsExactly("make", "test");
    }

    private static String commandLine(LaunchProfile profile) {
        return LaunchPlanner.commandLine(profile.command(), profile.args());
    }
}
