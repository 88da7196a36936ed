package io.gitcrq.execagent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.execagent.domain.ExecOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPolicyTest {

    /** The README's example: what an attacker tried against it. */
    private final HostPolicy policy =
            new HostPolicy(List.of("mvn", "gemini", "make", "ls", "false", "true"), List.of("rm", "shutdown"));

    @Test
    void anAllowListNamesTheProgramAndWhatRunsIsTheArgumentVectorThatWasChecked() {
        assertThat(policy.command("mvn -q verify").argv()).containsExactly("mvn", "-q", "verify");
        assertThat(policy.command("gemini --version").refused()).isFalse();
        assertThat(policy.command("'mvn' '-Dx=a b'").argv()).containsExactly("mvn", "-Dx=a b");
        assertThat(policy.command("mvnw verify").refusal())
                .contains("allows only")
                .contains("'mvnw'");
        assertThat(policy.command("/tmp/evil/mvn verify").refusal()).contains("allows only");
        assertThat(policy.command("").refusal()).contains("empty");
    }

    /** Each way the regex-on-a-line policy was bypassed, now refused: none of these reaches a shell. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "ls; rm -rf x",
                "ls $(rm x)",
                "false || rm x",
                "ls `rm x`",
                "ls && rm x",
                "ls | rm x",
                "ls\nrm x",
                "ls > x",
                "ls $HOME",
                "ls *"
            })
    void aShellLineIsRefusedWhereThePolicyAllowsNoShell(String line) {
        assertThat(policy.command(line).refusal()).contains("shell line").contains("allowed-shells: none");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "r'm' x|'rm'",
                "r\\m x|'rm'",
                "\"rm\" -rf x|'rm'",
                "/bin/rm x|'/bin/rm'",
                "./rm x|'./rm'",
                "env rm x|'rm'",
                "sudo shutdown -h now|'shutdown'",
                "nohup rm x|'rm'",
                "timeout 5 /usr/bin/rm x|'/usr/bin/rm'"
            })
    void aDeniedProgramIsRefusedHoweverItIsSpelt(String line, String program) {
        assertThat(policy.command(line).refusal()).contains("denies the program " + program);
        // The same on a host whose only rule is the deny list.
        assertThat(new HostPolicy(null, List.of("rm", "shutdown")).command(line).refusal())
                .contains("denies");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash -c 'rm x'", "sh x.sh", "/bin/sh -c id", "python3 -c 'import os'", "perl -e 1"})
    void aProgramThatRunsScriptsRunsOnlyAsAnAllowedShell(String line) {
        assertThat(policy.command(line).refusal()).contains("runs scripts").contains("allowed-shells");
        assertThat(new HostPolicy(null, List.of("shutdown")).command(line).refused())
                .isTrue();
        assertThat(new HostPolicy(List.of(".*"), List.of()).command(line).refused())
                .isTrue();
    }

    @Test
    void whereBashIsAnAllowedShellAShellLineRunsAsBashDashCAndIsDecidedOnBash() {
        HostPolicy shells = new HostPolicy(List.of("mvn"), List.of("rm"), List.of("bash"));
        assertThat(shells.command("echo hi; sleep 1").argv()).containsExactly("bash", "-c", "echo hi; sleep 1");
        assertThat(shells.command("bash -c 'echo $0'").argv()).containsExactly("bash", "-c", "echo $0");
        assertThat(shells.command("sh -c id").refusal()).contains("'sh' runs scripts");
        assertThat(shells.command("mvn verify").argv()).containsExactly("mvn", "verify");
        assertThat(new HostPolicy(null, List.of(), List.of("/bin/bash"))
                        .command("a | b")
                        .argv())
                .containsExactly("/bin/bash", "-c", "a | b");
        assertThat(new HostPolicy(null, List.of("bash"), List.of("bash"))
                        .command("a | b")
                        .refusal())
                .contains("denies");
        assertThat(new HostPolicy(null, List.of(), List.of("python3"))
                        .command("a | b")
                        .refusal())
                .contains("allowed-shells: python3");
    }

    @Test
    void aWorkflowStepsProgramMustBeAnAllowedShell() {
        assertThat(policy.step("make -f /run/x/script.sh").refusal())
                .contains("'make'")
                .contains("as a shell");
        assertThat(policy.step("bash --noprofile --norc -eo pipefail /x/script.sh")
                        .refusal())
                .contains("'bash'");
        HostPolicy shells = new HostPolicy(List.of("mvn"), List.of(), List.of("bash"));
        assertThat(shells.step("bash -e /x/script.sh").argv()).containsExactly("bash", "-e", "/x/script.sh");
        assertThat(shells.step("make -f /x/script.sh").refused()).isTrue();
        assertThat(new HostPolicy(null, List.of(), List.of("make"))
                        .step("make -f /x/s")
                        .refused())
                .isFalse();
    }

    @Test
    void withoutAnyPolicyEverythingRunsAShellLineThroughBash() {
        HostPolicy none = new HostPolicy(null, List.of(), null);
        assertThat(none.command("echo hi; exit 3").argv()).containsExactly("bash", "-c", "echo hi; exit 3");
        assertThat(none.command("echo hi").argv()).containsExactly("echo", "hi");
        assertThat(none.command("bash -c 'x'").refused()).isFalse();
        assertThat(none.step("make -f x").refused()).isFalse();
        assertThatThrownBy(() -> new HostPolicy(null, List.of("(unclosed")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("denied-commands");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "BASH_ENV",
                "ENV",
                "LD_PRELOAD",
                "LD_LIBRARY_PATH",
                "LD_AUDIT",
                "PATH",
                "PROMPT_COMMAND",
                "SHELLOPTS",
                "BASHOPTS",
                "PS4",
                "IFS",
                "GIT_SSH_COMMAND",
                "GIT_CONFIG_COUNT",
                "BASH_FUNC_ls%%",
                "NODE_OPTIONS"
            })
    void aLaunchMayNotSetAVariableThatChangesWhatRunsUnlessItsProfileAllowsIt(String name) {
        HostPolicy none = new HostPolicy(null, List.of(), null);
        assertThat(none.decide(launch(Map.of(name, "/tmp/x"), Set.of())).refusal())
                .contains("may not set " + name)
                .contains("allowed-env");
        assertThat(none.decide(launch(Map.of(name, "/tmp/x"), Set.of(name))).refused())
                .isFalse();
        assertThat(none.decide(launch(Map.of("GEMINI_CLI_TRUST_WORKSPACE", "true", "CI", "false"), Set.of()))
                        .refused())
                .isFalse();
    }

    @Test
    void whereItNamesDirectoriesACommandRunsOnlyInOneOfThemOrBelowSymbolicLinksResolved() throws Exception {
        Path root = Files.createTempDirectory("host-policy-dirs-");
        Path allowed = Files.createDirectories(root.resolve("work"));
        Path inside = Files.createDirectories(allowed.resolve("repo/sub"));
        Path outside = Files.createDirectories(root.resolve("work-not"));
        Path link = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        HostPolicy dirs = new HostPolicy(null, List.of(), null, List.of(allowed.toString()));

        assertThat(dirs.decide(in(allowed)).refused()).isFalse();
        assertThat(dirs.decide(in(inside)).refused()).isFalse();
        assertThat(dirs.decide(in(outside)).refusal()).contains("allowed-dirs").contains(outside.toString());
        // A link inside that leads outside is where it leads.
        assertThat(dirs.decide(in(link)).refused()).isTrue();
        assertThat(dirs.decide(in(Path.of("/"))).refused()).isTrue();
        // Without allowed-dirs, any directory.
        assertThat(new HostPolicy(null, List.of()).decide(in(outside)).refused())
                .isFalse();
    }

    private static ExecOrder in(Path cwd) {
        return ExecOrder.validate("e1", "h", "s", "p", "true", "CRQ-1", null, cwd.toString(), "alice", null);
    }

    private static ExecOrder launch(Map<String, String> env, Set<String> allowedEnv) {
        return new ExecOrder(
                "e1",
                "h",
                "s",
                "p",
                "'gemini'",
                "CRQ-1",
                null,
                Path.of("/tmp"),
                "alice",
                env,
                null,
                null,
                new ExecOrder.Launch("gemini", null, null, Map.of(), allowedEnv),
                null,
                false);
    }
}
