package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CrqText;
import io.gitcrq.model.api.merge.MergeSettingsRequest;
import io.gitcrq.model.api.merge.MergeSettingsView;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq merge-settings ...}: how merge-bot merges a repository's approved CRQs. */
@Command(
        name = "merge-settings",
        mixinStandardHelpOptions = true,
        description = "Show or set a repository's merge strategy, required checks and branch clean-up.")
public class MergeSettingsCommand extends GroupCommand {

    @ParentCommand
    CommandContext cli;

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a repository's merge settings.")
    int show(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode answer = cli.client(Service.MERGE_BOT).get(path(repo));
        MergeSettingsView settings = ApiBodies.read(answer, MergeSettingsView.class);
        cli.printer().print(answer, out -> print(settings, out));
        return 0;
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Replace a repository's merge settings (what is not given takes its default: strategy "
                    + "merge, no required check, merged branches kept); its merge queues run again.")
    int set(
            @Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo,
            @Option(
                            names = "--strategy",
                            paramLabel = "STRATEGY",
                            description = "merge, ff-only, squash or rebase (default: merge).")
                    String strategy,
            @Option(
                            names = "--require",
                            paramLabel = "CHECK",
                            description = "A check that must pass on the branch head before it is merged (repeatable).")
                    List<String> requiredChecks,
            @Option(names = "--delete-merged-branch", description = "Delete a CRQ's branch once it is merged.")
                    boolean deleteMergedBranch) {
        MergeSettingsRequest body = new MergeSettingsRequest(
                strategy, requiredChecks == null ? List.of() : requiredChecks, deleteMergedBranch);
        JsonNode answer = cli.client(Service.MERGE_BOT).send("PUT", path(repo), body);
        MergeSettingsView settings = ApiBodies.read(answer, MergeSettingsView.class);
        cli.printer().print(answer, out -> print(settings, out));
        return 0;
    }

    private static String path(String repo) {
        return "/repos/" + ServiceClient.segment(repo) + "/merge-settings";
    }

    private static void print(MergeSettingsView settings, PrintWriter out) {
        List<String> checks = settings.requiredChecks() == null ? List.of() : settings.requiredChecks();
        out.println(CrqText.orElse(settings.repo(), "?"));
        out.printf("  %-22s %s%n", "strategy:", CrqText.orElse(settings.strategy(), "?"));
        out.printf("  %-22s %s%n", "required checks:", checks.isEmpty() ? "none" : String.join(", ", checks));
        out.printf("  %-22s %s%n", "delete merged branch:", settings.deleteMergedBranch());
        String by = settings.updatedBy();
        out.printf("  %-22s %s%n", "set by:", by == null ? "- (defaults)" : by + " at " + settings.updatedAt());
    }
}
