package io.gitcrq.cli.command;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.hook.HookInstaller;
import io.gitcrq.cli.hook.HookRunnerControl;
import io.gitcrq.cli.process.CliFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq hooks install}: puts gitcrq's git hooks into a clone or, with {@code --server}, a bare repository. */
@Command(
        name = "hooks",
        mixinStandardHelpOptions = true,
        description = "Install gitcrq's git hooks (branch naming and CRQ linking at commit, push and receive), and see "
                + "or stop their resident runner.")
public class HooksCommand extends GroupCommand {

    @ParentCommand
    CommandContext cli;

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = "Write commit-msg and pre-push into a clone's hooks directory (core.hooksPath is "
                    + "respected), or pre-receive into a bare repository with --server.")
    int install(
            @Option(names = "--repo", paramLabel = "DIR", description = "The repository (default: here).") String repo,
            @Option(names = "--server", description = "Install pre-receive into a bare repository.") boolean server,
            @Option(names = "--force", description = "Replace hooks gitcrq did not write.") boolean force,
            @Option(
                            names = "--launcher",
                            paramLabel = "COMMAND",
                            description = "Shell command that starts the gitcrq CLI or its hook runner, given "
                                    + "'hook <name> ...' (default: the hook runner in this CLI's jar under this JVM "
                                    + "with fast-start options).")
                    String launcher,
            @Option(
                            names = "--no-cds",
                            negatable = false,
                            description = "Do not create an AppCDS archive for faster hook starts.")
                    boolean noClassDataSharing) {
        Path directory = repo == null
                ? cli.environment().workingDirectory()
                : cli.environment()
                        .workingDirectory()
                        .resolve(repo)
                        .toAbsolutePath()
                        .normalize();
        HookInstaller.Installed installed = HookInstaller.install(
                new Git(directory),
                server,
                force,
                launcher == null || launcher.isBlank() ? null : launcher.strip(),
                !noClassDataSharing);
        var out = cli.environment().out();
        installed.scripts().forEach(script -> out.println("installed " + script));
        if (installed.classDataArchive() != null) {
            out.println("class data archive " + installed.classDataArchive() + " (faster hook starts)");
        }
        if (installed.residentRunner() != null) {
            out.println("commit-msg asks the resident hook runner in " + installed.residentRunner()
                    + " first (the first commit starts it; it stops after an idle hour)");
        }
        return 0;
    }

    @Command(
            name = "runner",
            mixinStandardHelpOptions = true,
            description = "Say whether the resident hook runner that this CLI's commit-msg asks first is running "
                    + "(exit 3 when not), or stop it with --stop (the next commit starts it again).")
    int runner(@Option(names = "--stop", description = "Stop the runner.") boolean stop) {
        Path dir = HookInstaller.runnerDirectoryOfThisCli(cli.environment().env());
        var out = cli.environment().out();
        if (stop) {
            boolean ran;
            try {
                ran = HookRunnerControl.stop(dir, Duration.ofSeconds(30));
            } catch (IOException e) {
                throw new CliFailure(CliFailure.FAILED, e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(CliFailure.FAILED, "interrupted while stopping the hook runner", e);
            }
            out.println(ran ? "stopped the hook runner in " + dir : "no hook runner runs in " + dir);
            return ran ? 0 : CliFailure.UNREACHABLE;
        }
        Optional<String> status = HookRunnerControl.status(dir);
        out.println(status.orElse("no hook runner runs in " + dir + " (the next commit starts one)"));
        return status.isPresent() ? 0 : CliFailure.UNREACHABLE;
    }
}
