package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.http.ServiceProblemException;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.git.CreateBranchRequest;
import io.gitcrq.model.api.merge.StaleBranch;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.CrqId;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq branch ...}: branches for the work on a CRQ, named {@code <type>/CRQ-n-<slug>}
 * ({@link BranchNamePolicy}). Which types a repository allows is its policy, which git-watcher knows (the
 * repository's git config over the service-wide one): git-watcher judges the name when it creates the branch.
 */
@Command(name = "branch", mixinStandardHelpOptions = true, description = "Start branches for CRQs.")
public class BranchCommand extends GroupCommand {

    /** Statuses in which work on a CRQ may still start; the others are closed. */
    static final Set<String> OPEN_STATUSES = Set.of("DRAFT", "SUBMITTED", "APPROVED");

    @ParentCommand
    CommandContext cli;

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {
                "Create the branch <type>/CRQ-n-<slug> for an open CRQ, from the CRQ's target branch.",
                "Types: those the repository allows (git-watcher's GET /repos/REPO/policy); by default feature,"
                        + " bugfix, hotfix, chore, docs, refactor."
            })
    int start(
            @Parameters(paramLabel = "CRQ-n", description = "The CRQ the work is for.") CrqId id,
            @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Kind of work.") String type,
            @Option(
                            names = "--desc",
                            required = true,
                            paramLabel = "TEXT",
                            description = "A few words; they become the branch slug.")
                    String description,
            @Option(
                            names = "--repo",
                            paramLabel = "REPO",
                            description = "Repository (default: the CRQ's; must match it).")
                    String repo) {
        // Only the slug is checked here: a description without letters or digits needs no service to be refused.
        // The type is the repository's policy's to judge, and git-watcher applies it.
        String branch;
        try {
            branch = BranchNamePolicy.nameFor(type, id, description);
        } catch (IllegalArgumentException e) {
            throw CliFailure.refused(e.getMessage());
        }

        JsonNode crq = fetchCrq(id);
        String status = Json.text(crq, "status", "?");
        if (!OPEN_STATUSES.contains(status)) {
            throw CliFailure.refused(id + " is " + status + " (closed): no new branches for it");
        }
        String crqRepo = Json.text(crq, "repo");
        if (repo != null && crqRepo != null && !repo.equals(crqRepo)) {
            throw CliFailure.refused(id + " is for repository " + crqRepo + ", not " + repo);
        }
        String targetRepo = repo != null ? repo : crqRepo;
        if (targetRepo == null) {
            throw CliFailure.refused(id + " names no repository; pass --repo");
        }

        CreateBranchRequest request = new CreateBranchRequest(branch, Json.text(crq, "targetBranch", "main"));
        JsonNode created;
        try {
            created = cli.client(Service.GIT_WATCHER)
                    .post("/repos/" + ServiceClient.segment(targetRepo) + "/branches", request);
        } catch (ServiceProblemException e) {
            if (e.status() == 400 && e.detail() != null && !e.detail().isBlank()) {
                // The repository's rule refused the name (git-watcher says which rule): that, and nothing else.
                throw CliFailure.refused(e.detail());
            }
            throw e;
        }
        cli.printer().print(created, out -> out.println(branch));
        return 0;
    }

    @Command(
            name = "stale",
            mixinStandardHelpOptions = true,
            description = "List a repository's branches that look abandoned: no open CRQ, or no commit for DAYS days.")
    int stale(
            @Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo,
            @Option(
                            names = "--days",
                            defaultValue = "30",
                            paramLabel = "DAYS",
                            description = "A branch whose last commit is older is stale (default: ${DEFAULT-VALUE}).")
                    int days) {
        JsonNode answer = cli.client(Service.MERGE_BOT)
                .get("/repos/" + ServiceClient.segment(repo) + "/stale-branches?days=" + days);
        List<StaleBranch> stale = ApiBodies.list(answer, StaleBranch.class);
        cli.printer().print(answer, out -> {
            if (stale.isEmpty()) {
                out.println("no stale branches in " + repo);
                return;
            }
            Table table = new Table("BRANCH", "LAST_COMMIT", "CRQ", "STATUS", "WHY");
            for (StaleBranch branch : stale) {
                table.row(
                        branch.branch(),
                        branch.lastCommitAt() == null
                                ? null
                                : branch.lastCommitAt().toString(),
                        branch.crqId(),
                        branch.crqStatus(),
                        branch.reasons() == null ? null : String.join("; ", branch.reasons()));
            }
            table.print(out);
        });
        return 0;
    }

    private JsonNode fetchCrq(CrqId id) {
        try {
            return cli.client(Service.CRQ).get("/crqs/" + id);
        } catch (ServiceProblemException e) {
            if (e.status() == 404) {
                throw CliFailure.refused("unknown CRQ " + id + ": crq-service has no such change request");
            }
            throw e;
        }
    }
}
