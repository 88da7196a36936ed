package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.process.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command line naming one subcommand gets only that one built (bench P6): what it prints and how it exits must be
 * what the whole command tree gives: help and an unknown option for every command of the tree, usage errors, a call.
 */
class LazySubcommandsTest {

    private record Outcome(int exitCode, String out, String err) {}

    @Test
    void everyCommandAnswersAsTheWholeTreeDoes() {
        List<List<String>> paths = new ArrayList<>();
        collect(new GitcrqCli(environment(new StringWriter(), new StringWriter())).commandLine(), List.of(), paths);
        assertThat(paths).hasSizeGreaterThan(40);
        for (List<String> path : paths) {
            // Help, and an unknown option (the command's usage on stderr, exit 2), the top's options first or not.
            for (List<String> args : List.of(
                    concat(path, List.of("--help")),
                    concat(List.of("--user", "alice", "--json"), concat(path, List.of("--no-such-option"))))) {
                String[] array = args.toArray(String[]::new);
                assertThat(run(array, true)).as(String.join(" ", args)).isEqualTo(run(array, false));
            }
        }
    }

    @Test
    void topLevelHelpErrorsAndArgumentFilesGetTheWholeTree() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"--help"},
                new String[] {"--version"},
                new String[] {"help"},
                new String[] {"help", "crq"},
                new String[] {"crqq", "list"},
                new String[] {"--user"},
                new String[] {"--user=alice", "--token", "t", "nope"},
                new String[] {"crq", "show", "12"},
                new String[] {"crq", "show", "CRQ-1", "--user", "alice"},
                new String[] {"--json", "crq", "list", "--status"})) {
            assertThat(run(args, true)).as(String.join(" ", args)).isEqualTo(run(args, false));
        }
        assertThat(GitcrqCli.subcommandNamed("--user", "crq", "repo", "list")).isEqualTo("repo");
        assertThat(GitcrqCli.subcommandNamed("--token=t", "--json", "crq", "show"))
                .isEqualTo("crq");
        assertThat(GitcrqCli.subcommandNamed("-h", "crq")).isNull();
        assertThat(GitcrqCli.subcommandNamed("@args.txt")).isNull();
    }

    @Test
    void theNamesAreTheCommandsOwn() {
        GitcrqCli.SUBCOMMANDS.forEach((name, command) ->
                assertThat(command.getAnnotation(Command.class).name()).isEqualTo(name));
        assertThat(new GitcrqCli(environment(new StringWriter(), new StringWriter()))
                        .commandLine()
                        .getSubcommands()
                        .keySet())
                .containsExactlyElementsOf(GitcrqCli.SUBCOMMANDS.keySet());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new ArrayList<>(path);
            longer.add(name);
            paths.add(longer);
            collect(sub, longer, paths);
        });
    }

    private static Outcome run(String[] args, boolean lazily) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        GitcrqCli cli = new GitcrqCli(environment(out, err));
        int exitCode = lazily ? cli.execute(args) : cli.commandLine().execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    private static CliEnvironment environment(StringWriter out, StringWriter err) {
        Map<String, String> unreachable = new java.util.HashMap<>();
        for (Service service : Service.values()) {
            unreachable.put(service.systemProperty(), "http://127.0.0.1:9");
        }
        return new CliEnvironment(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of("XDG_CONFIG_HOME", "/nonexistent-gitcrq-config"),
                unreachable::get,
                prompt -> Optional.empty(),
                Path.of("/nonexistent-gitcrq-dir"),
                Duration.ofMillis(20),
                java.io.InputStream.nullInputStream());
    }
}
