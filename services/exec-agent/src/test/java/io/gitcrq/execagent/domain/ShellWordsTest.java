package io.gitcrq.execagent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

    @Test
    void quotesAndBackslashesAreRemovedAsAShellWouldSoTheProgramIsTheOneThatRuns() {
        assertThat(ShellWords.parse("r'm' x").words()).containsExactly("rm", "x");
        assertThat(ShellWords.parse("r\\m x").words()).containsExactly("rm", "x");
        assertThat(ShellWords.parse("\"r\"m -rf x").words()).containsExactly("rm", "-rf", "x");
        assertThat(ShellWords.parse("'bash' '-c' 'echo $(id)'").words()).containsExactly("bash", "-c", "echo $(id)");
        assertThat(ShellWords.parse("  mvn\t-q   verify ").words()).containsExactly("mvn", "-q", "verify");
        assertThat(ShellWords.parse("echo 'it'\\''s' \"a \\\"b\\\"\" ''").words())
                .containsExactly("echo", "it's", "a \"b\"", "");
        assertThat(ShellWords.parse("grep -e a\\;b \\$HOME x#y").words())
                .containsExactly("grep", "-e", "a;b", "$HOME", "x#y");
        assertThat(ShellWords.parse("mvn -q verify").isShellLine()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ls; rm -rf x",
                "ls $(rm x)",
                "false || rm x",
                "true && rm x",
                "ls | sh",
                "ls `rm x`",
                "echo \"$(rm x)\"",
                "echo \"`rm x`\"",
                "ls > /etc/passwd",
                "cat < /etc/shadow",
                "sleep 1 &",
                "ls\nrm x",
                "ls \\\nx",
                "echo $HOME",
                "echo ${HOME}",
                "rm *",
                "rm ?",
                "rm [a]",
                "echo {a,b}",
                "cat ~/.ssh/id_rsa",
                "ls # comment",
                "X=1 rm x",
                "'PATH=/tmp' ls",
                "eval 'rm x'",
                "exec rm x",
                "cd /; rm x",
                "source ./evil",
                ". ./evil",
                "( rm x )",
                "echo 'unclosed",
                "echo \"unclosed",
                "echo trailing\\"
            })
    void aLineWithShellSyntaxIsAShellLine(String line) {
        ShellWords words = ShellWords.parse(line);
        assertThat(words.isShellLine()).as(line).isTrue();
        assertThat(words.words()).isEmpty();
        assertThat(words.shellSyntax()).isNotBlank();
    }

    @Test
    void quotedSyntaxIsData() {
        assertThat(ShellWords.parse("echo ';' '$(rm x)' \"a|b\" 'x > y' \\*").words())
                .isEqualTo(List.of("echo", ";", "$(rm x)", "a|b", "x > y", "*"));
    }
}
