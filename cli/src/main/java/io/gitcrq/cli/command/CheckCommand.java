package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CrqText;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.model.api.merge.CheckRequest;
import io.gitcrq.model.api.merge.CheckView;
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
    CommandContext cli;

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
        JsonNode answer =
                cli.client(Service.MERGE_BOT).post("/checks", new CheckRequest(repo, commit, name, status, url));
        CheckView recorded = ApiBodies.read(answer, CheckView.class);
        cli.printer()
                .print(
                        answer,
                        out -> out.println("reported " + CrqText.orElse(recorded.name(), name) + " "
                                + CrqText.orElse(recorded.status(), status) + " on "
                                + CrqText.orElse(recorded.commitId(), commit)));
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
        JsonNode answer = cli.client(Service.MERGE_BOT).get("/checks" + ServiceClient.query(query));
        List<CheckView> checks = ApiBodies.list(answer, CheckView.class);
        cli.printer().print(answer, out -> {
            if (checks.isEmpty()) {
                out.println("no checks reported on " + commit);
                return;
            }
            Table table = new Table("AT", "NAME", "STATUS", "REPORTED_BY", "URL", "REPO", "COMMIT_ID");
            for (CheckView check : checks) {
                table.row(
                        Json.time(check.at()),
                        check.name(),
                        check.status(),
                        check.reportedBy(),
                        check.url(),
                        check.repo(),
                        check.commitId());
            }
            table.print(out);
        });
        return 0;
    }
}
