package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CrqText;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.crq.CreateCrqRequest;
import io.gitcrq.model.api.crq.CrqView;
import io.gitcrq.model.api.crq.EditCrqRequest;
import io.gitcrq.model.api.crq.TransitionRequest;
import io.gitcrq.model.policy.CrqId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gitcrq crq ...}: change requests in crq-service. */
@Command(
        name = "crq",
        mixinStandardHelpOptions = true,
        description = "Create, show, list, edit and move change requests (CRQs) through their life cycle.")
public class CrqCommand extends GroupCommand {

    @ParentCommand
    CommandContext cli;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a CRQ (it starts in DRAFT).")
    int create(
            @Option(names = "--title", required = true, paramLabel = "TITLE", description = "Short title.")
                    String title,
            @Option(names = "--description", paramLabel = "TEXT", description = "What and why.") String description,
            @Option(
                            names = "--repo",
                            required = true,
                            paramLabel = "REPO",
                            description = "Watched repository the change is for.")
                    String repo,
            @Option(
                            names = "--target",
                            defaultValue = "main",
                            paramLabel = "BRANCH",
                            description = "Branch the work merges into (default: ${DEFAULT-VALUE}).")
                    String target) {
        // Sent again under one idempotency key if crq-service restarts before it answers: one CRQ, not two.
        JsonNode answer = crqService().postOnce("/crqs", new CreateCrqRequest(title, description, repo, target));
        CrqView crq = ApiBodies.read(answer, CrqView.class);
        cli.printer()
                .print(
                        answer,
                        out -> out.println("created " + CrqText.orElse(crq.id(), "?") + " ("
                                + CrqText.orElse(crq.status(), "?") + "): " + CrqText.orElse(crq.title(), title)));
        return 0;
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a CRQ: its fields, linked branches and commits, and history.")
    int show(@Parameters(paramLabel = "CRQ-n", description = "The CRQ id.") CrqId id) {
        JsonNode answer = crqService().get("/crqs/" + id);
        CrqView crq = ApiBodies.read(answer, CrqView.class);
        cli.printer().print(answer, out -> CrqText.details(crq, out));
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List CRQs.")
    int list(
            @Option(
                            names = "--status",
                            paramLabel = "STATUS",
                            description =
                                    "Only CRQs in this status (DRAFT, SUBMITTED, APPROVED, REJECTED, CANCELLED, MERGED, ...).")
                    String status,
            @Option(names = "--repo", paramLabel = "REPO", description = "Only CRQs for this repository.")
                    String repo) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("repo", repo);
        JsonNode response = crqService().get("/crqs" + ServiceClient.query(query));
        // Filter here too, so the result is right even if the service ignores a parameter; --json shows the
        // answer's own items.
        ArrayNode shown = Json.MAPPER.createArrayNode();
        List<CrqView> crqs = new ArrayList<>();
        for (JsonNode item : Json.items(response, null)) {
            CrqView crq = ApiBodies.read(item, CrqView.class);
            if ((status == null || status.equalsIgnoreCase(CrqText.orElse(crq.status(), "")))
                    && (repo == null || repo.equals(crq.repo()))) {
                shown.add(item);
                crqs.add(crq);
            }
        }
        cli.printer().print(shown, out -> {
            if (crqs.isEmpty()) {
                out.println("no CRQs");
            } else {
                CrqText.list(crqs).print(out);
            }
        });
        return 0;
    }

    @Command(
            name = "edit",
            mixinStandardHelpOptions = true,
            description = {
                "Change a CRQ's title or description (its requester or an admin), while it is not closed.",
                "An empty --description clears it."
            })
    int edit(
            @Parameters(paramLabel = "CRQ-n", description = "The CRQ id.") CrqId id,
            @Option(names = "--title", paramLabel = "TITLE", description = "New title.") String title,
            @Option(names = "--description", paramLabel = "TEXT", description = "New description.")
                    String description) {
        if (title == null && description == null) {
            throw new CliFailure(CliFailure.USAGE, "nothing to change: give --title, --description or both");
        }
        JsonNode answer = crqService().send("PATCH", "/crqs/" + id, new EditCrqRequest(title, description));
        CrqView crq = ApiBodies.read(answer, CrqView.class);
        cli.printer().print(answer, out -> out.println("edited " + id + ": " + CrqText.orElse(crq.title(), "?")));
        return 0;
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a DRAFT CRQ for approval.")
    int submit(
            @Parameters(paramLabel = "CRQ-n") CrqId id,
            @Option(names = "--reason", paramLabel = "TEXT") String reason) {
        return transition(id, "submit", reason);
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = {
                "Approve a SUBMITTED CRQ (not your own): its branch's head commit, the one merge-bot then merges.",
                "A commit pushed after the approval withdraws it (the CRQ goes back to SUBMITTED)."
            })
    int approve(
            @Parameters(paramLabel = "CRQ-n") CrqId id,
            @Option(names = "--reason", paramLabel = "TEXT") String reason,
            @Option(
                            names = "--commit",
                            paramLabel = "SHA",
                            description = "The commit you reviewed (full id or at least 7 hex digits): refused if the"
                                    + " branch has moved on from it.")
                    String commit) {
        return transition(id, "approve", reason, commit);
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a SUBMITTED CRQ.")
    int reject(
            @Parameters(paramLabel = "CRQ-n") CrqId id,
            @Option(names = "--reason", paramLabel = "TEXT") String reason) {
        return transition(id, "reject", reason);
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a CRQ that is not closed yet.")
    int cancel(
            @Parameters(paramLabel = "CRQ-n") CrqId id,
            @Option(names = "--reason", paramLabel = "TEXT") String reason) {
        return transition(id, "cancel", reason);
    }

    private int transition(CrqId id, String action, String reason) {
        return transition(id, action, reason, null);
    }

    private int transition(CrqId id, String action, String reason, String commit) {
        // Without a reason or commit the body stays empty, as it always was.
        Object body = reason == null && commit == null ? Map.of() : new TransitionRequest(reason, commit);
        JsonNode answer = crqService().post("/crqs/" + id + "/" + action, body);
        CrqView crq = ApiBodies.read(answer, CrqView.class);
        cli.printer().print(answer, out -> {
            List<CrqView.Transition> history = crq.history() == null ? List.of() : crq.history();
            CrqView.Transition last = history.isEmpty() ? null : history.get(history.size() - 1);
            String status = CrqText.orElse(crq.status(), "?");
            if (last != null && status.equals(last.to())) {
                out.println(id + ": " + CrqText.orElse(last.from(), "(new)") + " → " + status);
            } else {
                out.println(id + " is now " + status);
            }
        });
        return 0;
    }

    private ServiceClient crqService() {
        return cli.client(Service.CRQ);
    }
}
