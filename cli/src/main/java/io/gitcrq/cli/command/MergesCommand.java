package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Printer;
import io.gitcrq.model.policy.CrqId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq merges}: what merge-bot merged or refused to merge. */
@Command(name = "merges", mixinStandardHelpOptions = true, description = "Show merges done or blocked by merge-bot.")
public class MergesCommand implements Callable<Integer> {

    @ParentCommand
    GitcrqCli cli;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "Only merges for this CRQ.")
    CrqId crq;

    @Override
    public Integer call() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("crq", crq == null ? null : crq.toString());
        JsonNode merges = cli.client(Service.MERGE_BOT).get("/merges" + ServiceClient.query(query));
        cli.printer().print(merges, out -> {
            List<JsonNode> items = Json.items(merges, null);
            if (items.isEmpty()) {
                out.println("no merges");
            } else {
                Printer.tableOf(
                                items,
                                List.of(
                                        "occurredAt",
                                        "mergedAt",
                                        "at",
                                        "crqId",
                                        "repo",
                                        "branch",
                                        "targetBranch",
                                        "status",
                                        "mergeCommit",
                                        "commitId",
                                        "reason"))
                        .print(out);
            }
        });
        return 0;
    }
}
