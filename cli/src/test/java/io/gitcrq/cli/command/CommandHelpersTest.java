package io.gitcrq.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandHelpersTest {

    @Test
    void shellQuotingLeavesPlainWordsAndQuotesTheRest() {
        assertThat(ExecCommand.shellQuote("mvn")).isEqualTo("mvn");
        assertThat(ExecCommand.shellQuote("-Dx=1,2")).isEqualTo("-Dx=1,2");
        assertThat(ExecCommand.shellQuote("two words")).isEqualTo("'two words'");
        assertThat(ExecCommand.shellQuote("$HOME")).isEqualTo("'$HOME'");
        assertThat(ExecCommand.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ExecCommand.shellQuote("")).isEqualTo("''");
        assertThat(ExecCommand.shellCommand(List.of("echo", "a b", "*.java"))).isEqualTo("echo 'a b' '*.java'");
    }

    @Test
    void locationsAreMadeAbsoluteUnlessTheyAreUrls() {
        Path cwd = Path.of("/home/dev");
        assertThat(RepoCommand.resolveLocation("demo", cwd)).isEqualTo("/home/dev/demo");
        assertThat(RepoCommand.resolveLocation("./a/../b.git/", cwd)).isEqualTo("/home/dev/b.git");
        assertThat(RepoCommand.resolveLocation("/srv/x.git", cwd)).isEqualTo("/srv/x.git");
        assertThat(RepoCommand.resolveLocation("https://h/t/x.git", cwd)).isEqualTo("https://h/t/x.git");
        assertThat(RepoCommand.resolveLocation("file:///srv/x.git", cwd)).isEqualTo("file:///srv/x.git");
        assertThat(RepoCommand.resolveLocation("git@host:team/x.git", cwd)).isEqualTo("git@host:team/x.git");
    }

    @Test
    void repoNamesComeFromTheLastPathSegment() {
        assertThat(RepoCommand.defaultName("/srv/demo.git")).isEqualTo("demo");
        assertThat(RepoCommand.defaultName("/srv/demo/")).isEqualTo("demo");
        assertThat(RepoCommand.defaultName("https://h/team/app.git")).isEqualTo("app");
        assertThat(RepoCommand.defaultName("git@host:app.git")).isEqualTo("app");
    }
}
