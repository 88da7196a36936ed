package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.model.policy.CrqId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gitcrq audit}: the audit trail the audit-collector gathered from every host. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Show audit records (commands run, CRQ changes, pushes, ...), newest first as the service sends them.")
public class AuditCommand implements Callable<Integer> {

    @ParentCommand
    GitcrqCli cli;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "Only records for this CRQ.")
    CrqId crq;

    @Option(names = "--host", paramLabel = "HOST", description = "Only records from this host.")
    String host;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only records of this kind (e.g. exec).")
    String kind;

    @Option(names = "--page", paramLabel = "N", description = "Page number.")
    Integer page;

    @Option(names = "--size", paramLabel = "N", description = "Records per page.")
    Integer size;

    @Override
    public Integer call() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("crq", crq == null ? null : crq.toString());
        query.put("host", host);
        query.put("kind", kind);
        query.put("page", page);
        query.put("size", size);
        JsonNode response = cli.client(Service.AUDIT).get("/audit" + ServiceClient.query(query));
        cli.printer().print(response, out -> {
            List<JsonNode> items = Json.items(response, "items");
            if (items.isEmpty()) {
                out.println("no audit records");
            } else {
                Table table = new Table("TIME", "HOST", "CRQ", "KIND", "DETAIL");
                for (JsonNode item : items) {
                    table.row(Json.time(Json.text(item, "occurredAt")), Json.text(item, "host"),
                            Json.text(item, "crqId"), Json.text(item, "kind"), detail(item));
                }
                table.print(out);
            }
            out.println("page " + Json.text(response, "page", "?") + ", size " + Json.text(response, "size", "?")
                    + ", total " + Json.text(response, "total", "?"));
        });
        return 0;
    }

    /** For an exec: the command and its exit code; for anything else nothing (--json shows the payload). */
    private static String detail(JsonNode item) {
        JsonNode payload = item.path("payload");
        if ("exec".equals(Json.text(item, "kind"))) {
            String exitCode = Json.text(payload, "exitCode");
            return Json.text(payload, "command", "?") + "  exit " + (exitCode == null ? "-" : exitCode);
        }
        return null;
    }
}
