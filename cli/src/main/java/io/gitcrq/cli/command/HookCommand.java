package io.gitcrq.cli.command;

import io.gitcrq.cli.hook.HookMain;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq hook ...}: the git hooks themselves, run by the scripts {@code gitcrq hooks install} writes,
 * in the directory git runs hooks in. They need no user or password (pre-receive's optional CRQ status check
 * takes them from the repository's config and the server's environment).
 */
@Command(
        name = "hook",
        mixinStandardHelpOptions = true,
        description = "Run a git hook (git calls these through the scripts 'gitcrq hooks install' writes).")
public class HookCommand extends GroupCommand {

    @ParentCommand
    CommandContext cli;

    @Command(
            name = "commit-msg",
            mixinStandardHelpOptions = true,
            description = "Link the commit to its branch's CRQ with a 'CRQ:' trailer when the message names none; "
                    + "refuse it when there is no CRQ to link, unless the branch is exempt.")
    int commitMsg(@Parameters(paramLabel = "FILE", description = "The message file git passes.") String file) {
        return HookMain.run(cli.environment(), List.of("commit-msg", file));
    }

    @Command(
            name = "pre-push",
            mixinStandardHelpOptions = true,
            description = "Refuse pushing branches whose names the repository's policy rejects "
                    + "(refs on stdin as git writes them).")
    int prePush(
            @Parameters(index = "0", paramLabel = "REMOTE", description = "Remote name git passes.") String remote,
            @Parameters(index = "1", arity = "0..1", paramLabel = "URL", description = "Remote URL git passes.")
                    String url) {
        return HookMain.run(cli.environment(), List.of("pre-push", remote));
    }

    @Command(
            name = "pre-receive",
            mixinStandardHelpOptions = true,
            description = "Server side: refuse badly named branches and commits linked to no CRQ (or, with "
                    + "gitcrq.crqUrl set, to a CRQ that is not open); ref updates on stdin as git writes them.")
    int preReceive() {
        return HookMain.run(cli.environment(), List.of("pre-receive"));
    }
}
