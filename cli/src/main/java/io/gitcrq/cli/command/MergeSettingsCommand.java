package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    GitcrqCli cli;

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a repository's merge settings.")
    int show(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode settings = cli.client(Service.MERGE_BOT).get(path(repo));
        cli.printer().print(settings, out -> print(settings, out));
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("strategy", strategy);
        body.put("requiredChecks", requiredChecks == null ? List.of() : requiredChecks);
        body.put("deleteMergedBranch", deleteMergedBranch);
        JsonNode settings = cli.client(Service.MERGE_BOT).send("PUT", path(repo), body);
        cli.printer().print(settings, out -> print(settings, out));
        return 0;
    }

    private static String path(String repo) {
        return "/repos/" + ServiceClient.segment(repo) + "/merge-settings";
    }

    private static void print(JsonNode settings, PrintWriter out) {
        List<String> checks = Json.items(settings, "requiredChecks").stream()
                .map(JsonNode::asText)
                .toList();
        out.println(Json.text(settings, "repo", "?"));
        out.printf("  %-22s %s%n", "strategy:", Json.text(settings, "strategy", "?"));
        out.printf("  %-22s %s%n", "required checks:", checks.isEmpty() ? "none" : String.join(", ", checks));
        out.printf(
                "  %-22s %s%n",
                "delete merged branch:", settings.path("deleteMergedBranch").asBoolean());
        String by = Json.text(settings, "updatedBy");
        out.printf(
                "  %-22s %s%n",
                "set by:", by == null ? "- (defaults)" : by + " at " + Json.text(settings, "updatedAt"));
    }
}
