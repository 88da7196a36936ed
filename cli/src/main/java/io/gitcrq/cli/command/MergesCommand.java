package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.model.api.merge.MergeAttemptView;
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
    CommandContext cli;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "Only merges for this CRQ.")
    CrqId crq;

    @Override
    public Integer call() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("crq", crq == null ? null : crq.toString());
        JsonNode answer = cli.client(Service.MERGE_BOT).get("/merges" + ServiceClient.query(query));
        List<MergeAttemptView> merges = ApiBodies.list(answer, MergeAttemptView.class);
        cli.printer().print(answer, out -> {
            if (merges.isEmpty()) {
                out.println("no merges");
                return;
            }
            Table table =
                    new Table("AT", "CRQ_ID", "REPO", "BRANCH", "TARGET_BRANCH", "OUTCOME", "MERGE_COMMIT", "REASON");
            for (MergeAttemptView merge : merges) {
                table.row(
                        Json.time(merge.at()),
                        merge.crqId(),
                        merge.repo(),
                        merge.branch(),
                        merge.targetBranch(),
                        merge.outcome(),
                        merge.mergeCommit(),
                        merge.reason());
            }
            table.print(out);
        });
        return 0;
    }
}
