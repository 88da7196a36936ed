package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.audit.AuditEventView;
import io.gitcrq.model.api.audit.AuditPage;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.api.audit.TimelineEntry;
import io.gitcrq.model.api.audit.TimelinePage;
import io.gitcrq.model.chain.ExportVerifier;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
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
        subcommands = {
            AuditCommand.Verify.class,
            AuditCommand.Timeline.class,
            AuditCommand.Export.class,
            AuditHostsCommand.class
        })
public class AuditCommand implements Callable<Integer> {

    @ParentCommand
    CommandContext cli;

    @Option(names = "--crq", paramLabel = "CRQ-n", description = "Only records for this CRQ.")
    CrqId crq;

    @Option(names = "--host", paramLabel = "HOST", description = "Only records from this host.")
    String host;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only records of this kind (e.g. exec, governance).")
    String kind;

    @Option(
            names = "--repo",
            paramLabel = "REPO",
            description = "Only records about this repository (e.g. its governance records: merge settings changes).")
    String repo;

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
        query.put("repo", repo);
        query.put("page", page);
        query.put("size", size);
        JsonNode answer = cli.client(Service.AUDIT).get("/audit" + ServiceClient.query(query));
        cli.printer().print(answer, out -> {
            AuditPage found = ApiBodies.read(answer, AuditPage.class);
            List<AuditEventView> items = found.items() == null ? List.of() : found.items();
            if (items.isEmpty()) {
                out.println("no audit records");
            } else {
                Table table = new Table("TIME", "HOST", "CRQ", "KIND", "DETAIL");
                for (AuditEventView item : items) {
                    table.row(Json.time(item.occurredAt()), item.host(), item.crqId(), item.kind(), detail(item));
                }
                table.print(out);
            }
            out.println("page " + found.page() + ", size " + found.size() + ", total " + found.total());
        });
        return 0;
    }

    /**
     * For an exec: the command and its exit code; for a governance record who changed which rule of what; for
     * anything else nothing (--json shows the payload).
     */
    private static String detail(AuditEventView item) {
        JsonNode payload = item.payload();
        if ("exec".equals(item.kind())) {
            String exitCode = Json.text(payload, "exitCode");
            return Json.text(payload, "command", "?") + "  exit " + (exitCode == null ? "-" : exitCode);
        }
        if ("governance".equals(item.kind())) {
            String subject = Json.text(payload, "repo", Json.text(payload, "crqId", "?"));
            return Json.text(payload, "changedBy", "?") + " changed " + Json.text(payload, "rule", "?") + " of "
                    + subject + ": " + payload.path("before") + " -> " + payload.path("after");
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

        @Option(
                names = "--file",
                paramLabel = "EXPORT",
                description = "Verify an export (gitcrq audit export ... > EXPORT) offline, without the service.")
        Path file;

        @Option(
                names = "--host-key",
                paramLabel = "HOST=PEM",
                description = "With --file: a host's Ed25519 public key file (repeatable), to check its signatures.")
        Map<String, Path> hostKeys;

        @Option(
                names = "--collector-key",
                paramLabel = "PEM",
                description = "With --file: audit-collector's public key file, to check retention checkpoints.")
        Path collectorKey;

        @Override
        public Integer call() {
            if (file != null) {
                return offline();
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("host", host);
            JsonNode answer = audit.cli.client(Service.AUDIT).get("/audit/verify" + ServiceClient.query(query));
            ChainVerification result = ApiBodies.read(answer, ChainVerification.class);
            boolean ok = result.ok();
            audit.cli.printer().print(answer, out -> {
                if (!ok) {
                    printBreak(result, out);
                } else if (result.hosts() != null) {
                    printAllHosts(result, out);
                } else {
                    printHost(result, out);
                }
            });
            return ok ? 0 : CliFailure.FAILED;
        }

        /** Checks an export from its lines alone: hashes, links, host signatures, numbering, heads, checkpoints. */
        private int offline() {
            ExportVerifier.Result result;
            try {
                Map<String, PublicKey> keys = new LinkedHashMap<>();
                if (hostKeys != null) {
                    for (Map.Entry<String, Path> k : hostKeys.entrySet()) {
                        keys.put(k.getKey(), Ed25519.parsePublicKey(Files.readString(k.getValue())));
                    }
                }
                PublicKey collector =
                        collectorKey == null ? null : Ed25519.parsePublicKey(Files.readString(collectorKey));
                result = new ExportVerifier(keys, collector).verify(Files.readAllLines(file));
            } catch (IOException e) {
                throw new CliFailure(CliFailure.USAGE, "cannot read " + e.getMessage());
            } catch (Ed25519.InvalidKeyTextException e) {
                throw new CliFailure(CliFailure.USAGE, "a key file is not an Ed25519 public key: " + e.getMessage());
            }
            PrintWriter out = audit.cli.environment().out();
            result.problems().forEach(p -> out.println("BROKEN: " + p));
            result.unchecked().forEach(u -> out.println("not checked: " + u));
            out.println((result.ok() ? "ok: " : "failed: ") + events(result.events()) + " of " + result.hosts()
                    + (result.hosts() == 1 ? " host" : " hosts") + " in " + file
                    + (result.ok() ? "" : ", " + result.problems().size() + " problem(s)"));
            out.flush();
            return result.ok() ? 0 : CliFailure.FAILED;
        }

        private static void printHost(ChainVerification result, PrintWriter out) {
            Long checkpoint = result.checkpointSequence();
            out.println("ok: host " + result.host() + ", " + events(result.verified()) + " verified"
                    + (checkpoint == null ? "" : ", after the retention checkpoint at sequence " + checkpoint)
                    + ", last sequence " + orDash(result.lastSequence()));
            out.println("last hash " + orDash(result.lastHash()));
        }

        private static void printAllHosts(ChainVerification result, PrintWriter out) {
            List<ChainVerification> hosts = result.hosts();
            if (hosts.isEmpty()) {
                out.println("ok: no audit events stored yet");
                return;
            }
            Table table = new Table("HOST", "VERIFIED", "LAST_SEQUENCE", "CHECKPOINT", "LAST_HASH");
            for (ChainVerification host : hosts) {
                table.row(
                        host.host(),
                        String.valueOf(host.verified()),
                        orNull(host.lastSequence()),
                        orNull(host.checkpointSequence()),
                        host.lastHash());
            }
            table.print(out);
            out.println("ok: " + hosts.size() + (hosts.size() == 1 ? " chain, " : " chains, ")
                    + events(result.verified()) + " verified");
        }

        private static void printBreak(ChainVerification result, PrintWriter out) {
            out.println("BROKEN: host " + (result.host() == null ? "?" : result.host())
                    + (result.sequence() == null ? "" : ", sequence " + result.sequence())
                    + (result.eventId() == null ? "" : ", event " + result.eventId())
                    + ": " + (result.reason() == null || result.reason().isBlank() ? "broken" : result.reason()));
            if (result.detail() != null) {
                out.println("  " + result.detail());
            }
            out.println("  expected hash  " + orDash(result.expectedHash()));
            out.println("  stored hash    " + orDash(result.storedHash()));
            out.println("  " + events(result.verified()) + " of the host verified before it");
        }

        private static String events(long count) {
            return count + (count == 1 ? " event" : " events");
        }

        private static String orDash(Object value) {
            return value == null || value.toString().isBlank() ? "-" : value.toString();
        }

        private static String orNull(Long value) {
            return value == null ? null : value.toString();
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
            JsonNode answer = audit.cli.client(Service.AUDIT).get("/audit/timeline" + ServiceClient.query(query));
            audit.cli.printer().print(answer, out -> {
                TimelinePage timeline = ApiBodies.read(answer, TimelinePage.class);
                List<TimelineEntry> entries = timeline.entries() == null ? List.of() : timeline.entries();
                if (entries.isEmpty()) {
                    out.println("no timeline entries on this page");
                } else {
                    Table table = new Table("TIME", "SOURCE", "TYPE", "EVENT", "SUMMARY");
                    for (TimelineEntry entry : entries) {
                        table.row(
                                Json.time(entry.at()), entry.source(), entry.type(), entry.eventId(), entry.summary());
                    }
                    table.print(out);
                }
                if (timeline.total() > entries.size()) {
                    out.println(
                            "page " + timeline.page() + ", size " + timeline.size() + ", total " + timeline.total());
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

        @Option(names = "--repo", paramLabel = "REPO", description = "The events about this repository.")
        String repo;

        @Option(
                names = "--from",
                paramLabel = "INSTANT",
                description = "Events that occurred at or after (ISO-8601, e.g. 2024-05-01T00:00:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "INSTANT", description = "Events that occurred before.")
        String to;

        @Override
        public Integer call() {
            if (crq == null && (host == null || host.isBlank()) && (repo == null || repo.isBlank())) {
                throw new CliFailure(CliFailure.USAGE, "export needs --crq CRQ-n, --host HOST or --repo REPO");
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("crq", crq == null ? null : crq.toString());
            query.put("host", host);
            query.put("kind", kind);
            query.put("repo", repo);
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
