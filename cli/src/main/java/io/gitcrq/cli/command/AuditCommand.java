package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.CrqId;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq audit}: the audit trail the audit-collector gathered from every host; {@code verify} checks its
 * hash chains, {@code timeline} shows a CRQ's history, {@code export} writes JSON lines for auditors.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description =
                "Show audit records (commands run, CRQ changes, pushes, ...), newest first as the service sends them.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Timeline.class, AuditCommand.Export.class})
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
                    table.row(
                            Json.time(Json.text(item, "occurredAt")),
                            Json.text(item, "host"),
                            Json.text(item, "crqId"),
                            Json.text(item, "kind"),
                            detail(item));
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

    /** {@code gitcrq audit verify}: recompute the hash chains; exit 1 naming the first broken link. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Recompute each host's audit hash chain from what is stored.",
                "Exits 1 and names the first broken link (an edited, missing or out-of-place event)."
            })
    public static class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Option(names = "--host", paramLabel = "HOST", description = "Only this host's chain (default: every host).")
        String host;

        @Override
        public Integer call() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("host", host);
            JsonNode result = audit.cli.client(Service.AUDIT).get("/audit/verify" + ServiceClient.query(query));
            boolean ok = result.path("ok").asBoolean(false);
            audit.cli.printer().print(result, out -> {
                if (!ok) {
                    printBreak(result, out);
                } else if (result.has("hosts")) {
                    printAllHosts(result, out);
                } else {
                    printHost(result, out);
                }
            });
            return ok ? 0 : CliFailure.FAILED;
        }

        private static void printHost(JsonNode result, PrintWriter out) {
            String checkpoint = Json.text(result, "checkpointSequence");
            out.println("ok: host " + Json.text(result, "host") + ", " + events(Json.text(result, "verified", "0"))
                    + " verified"
                    + (checkpoint == null ? "" : ", after the retention checkpoint at sequence " + checkpoint)
                    + ", last sequence " + Json.text(result, "lastSequence", "-"));
            out.println("last hash " + Json.text(result, "lastHash", "-"));
        }

        private static void printAllHosts(JsonNode result, PrintWriter out) {
            List<JsonNode> hosts = Json.items(result, "hosts");
            if (hosts.isEmpty()) {
                out.println("ok: no audit events stored yet");
                return;
            }
            Table table = new Table("HOST", "VERIFIED", "LAST_SEQUENCE", "CHECKPOINT", "LAST_HASH");
            for (JsonNode host : hosts) {
                table.row(
                        Json.text(host, "host"),
                        Json.text(host, "verified"),
                        Json.text(host, "lastSequence"),
                        Json.text(host, "checkpointSequence"),
                        Json.text(host, "lastHash"));
            }
            table.print(out);
            out.println("ok: " + hosts.size() + (hosts.size() == 1 ? " chain, " : " chains, ")
                    + events(Json.text(result, "verified", "0")) + " verified");
        }

        private static void printBreak(JsonNode result, PrintWriter out) {
            String eventId = Json.text(result, "eventId");
            String sequence = Json.text(result, "sequence");
            out.println("BROKEN: host " + Json.text(result, "host", "?")
                    + (sequence == null ? "" : ", sequence " + sequence)
                    + (eventId == null ? "" : ", event " + eventId)
                    + ": " + Json.text(result, "reason", "broken"));
            String detail = Json.text(result, "detail");
            if (detail != null) {
                out.println("  " + detail);
            }
            out.println("  expected hash  " + Json.text(result, "expectedHash", "-"));
            out.println("  stored hash    " + Json.text(result, "storedHash", "-"));
            out.println("  " + events(Json.text(result, "verified", "0")) + " of the host verified before it");
        }

        private static String events(String count) {
            return count + ("1".equals(count) ? " event" : " events");
        }
    }

    /** {@code gitcrq audit timeline CRQ-n}: the CRQ's Git, CRQ, merge, exec and audit events in time order. */
    @Command(
            name = "timeline",
            mixinStandardHelpOptions = true,
            description = "Show a CRQ's history: its Git, CRQ, merge, exec and audit events, oldest first.")
    public static class Timeline implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Parameters(index = "0", paramLabel = "CRQ-n", description = "The CRQ.")
        CrqId crq;

        @Option(names = "--page", paramLabel = "N", description = "Page number.")
        Integer page;

        @Option(names = "--size", paramLabel = "N", description = "Entries per page (service default 500).")
        Integer size;

        @Override
        public Integer call() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("crq", crq.toString());
            query.put("page", page);
            query.put("size", size);
            JsonNode response = audit.cli.client(Service.AUDIT).get("/audit/timeline" + ServiceClient.query(query));
            audit.cli.printer().print(response, out -> {
                List<JsonNode> entries = Json.items(response, "entries");
                if (entries.isEmpty()) {
                    out.println("no timeline entries on this page");
                } else {
                    Table table = new Table("TIME", "SOURCE", "TYPE", "EVENT", "SUMMARY");
                    for (JsonNode entry : entries) {
                        table.row(
                                Json.time(Json.text(entry, "at")),
                                Json.text(entry, "source"),
                                Json.text(entry, "type"),
                                Json.text(entry, "eventId"),
                                Json.text(entry, "summary"));
                    }
                    table.print(out);
                }
                long total = response.path("total").asLong(entries.size());
                if (total > entries.size()) {
                    out.println("page " + Json.text(response, "page", "?") + ", size "
                            + Json.text(response, "size", "?") + ", total " + total);
                }
            });
            return 0;
        }
    }

    /** {@code gitcrq audit export}: JSON lines, one stored audit event each, with its place in its host's chain. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Write audit events as JSON lines (one event a line, with sequence, prevHash and hash) "
                        + "to standard output, e.g. > audit.jsonl.",
                "Each line is canonical JSON: drop prevHash, hash, source and receivedAt, and SHA-256 of prevHash "
                        + "followed by the rest is hash (see the README, \"Audit trail\")."
            })
    public static class Export implements Callable<Integer> {

        static final String MEDIA_TYPE = "application/x-ndjson";

        @ParentCommand
        AuditCommand audit;

        @Option(names = "--crq", paramLabel = "CRQ-n", description = "The events of this CRQ.")
        CrqId crq;

        @Option(names = "--host", paramLabel = "HOST", description = "The events of this host (its whole chain).")
        String host;

        @Option(names = "--kind", paramLabel = "KIND", description = "Only events of this kind.")
        String kind;

        @Option(
                names = "--from",
                paramLabel = "INSTANT",
                description = "Events that occurred at or after (ISO-8601, e.g. 2024-05-01T00:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "INSTANT", description = "Events that occurred before.")
        String to;

        @Override
        public Integer call() {
            if (crq == null && (host == null || host.isBlank())) {
                throw new CliFailure(CliFailure.USAGE, "export needs --crq CRQ-n or --host HOST (or both)");
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("crq", crq == null ? null : crq.toString());
            query.put("host", host);
            query.put("kind", kind);
            query.put("from", from);
            query.put("to", to);
            PrintWriter out = audit.cli.environment().out();
            long lines = audit.cli
                    .client(Service.AUDIT)
                    .getLines("/audit/export" + ServiceClient.query(query), MEDIA_TYPE, out::println);
            out.flush();
            PrintWriter err = audit.cli.environment().err();
            err.println("exported " + lines + (lines == 1 ? " audit event" : " audit events"));
            err.flush();
            return 0;
        }
    }
}
