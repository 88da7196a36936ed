package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Printer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq check ...}: check results on commits, which merge-bot waits for when a repository requires them. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Report a check's result on a commit (as CI does) or list a commit's checks.")
public class CheckCommand extends GroupCommand {

    @ParentCommand
    GitcrqCli cli;

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Report a check's status on a commit (role ci or admin).")
    int report(
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repo,
            @Option(names = "--commit", required = true, paramLabel = "SHA", description = "Full commit id.")
                    String commit,
            @Option(names = "--name", required = true, paramLabel = "CHECK") String name,
            @Option(
                            names = "--status",
                            required = true,
                            paramLabel = "STATUS",
                            description = "PENDING, SUCCESS or FAILURE.")
                    String status,
            @Option(names = "--url", paramLabel = "URL", description = "Link to the check's run.") String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repo", repo);
        body.put("commitId", commit);
        body.put("name", name);
        body.put("status", status);
        body.put("url", url);
        JsonNode recorded = cli.client(Service.MERGE_BOT).post("/checks", body);
        cli.printer()
                .print(
                        recorded,
                        out -> out.println("reported " + Json.text(recorded, "name", name) + " "
                                + Json.text(recorded, "status", status) + " on "
                                + Json.text(recorded, "commitId", commit)));
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the checks reported on a commit.")
    int list(
            @Option(names = "--repo", required = true, paramLabel = "REPO") String repo,
            @Option(names = "--commit", required = true, paramLabel = "SHA", description = "Full commit id.")
                    String commit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("repo", repo);
        query.put("commit", commit);
        JsonNode checks = cli.client(Service.MERGE_BOT).get("/checks" + ServiceClient.query(query));
        cli.printer().print(checks, out -> {
            List<JsonNode> items = Json.items(checks, null);
            if (items.isEmpty()) {
                out.println("no checks reported on " + commit);
            } else {
                Printer.tableOf(items, List.of("at", "name", "status", "reportedBy", "url"))
                        .print(out);
            }
        });
        return 0;
    }
}
