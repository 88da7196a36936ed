package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.audit.HostKeyRegistration;
import io.gitcrq.model.api.audit.HostKeyView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq audit hosts ...} (admin): the Ed25519 keys hosts sign their audit events with, as audit-collector
 * knows them. An event is chained only when its signature verifies with a key registered for its host.
 */
@Command(
        name = "hosts",
        mixinStandardHelpOptions = true,
        description = "Register, list or revoke the keys hosts sign their audit events with (admin).")
public class AuditHostsCommand extends GroupCommand {

    @ParentCommand
    AuditCommand audit;

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = {
                "Register a host's audit key: the public key (PEM) of its exec-agent, e.g. the .pub file beside its"
                        + " gitcrq.audit.host-key-file, or what GET /host-key on the agent shows.",
                "Events the host signed with it before are chained now, in order."
            })
    int register(
            @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host.") String host,
            @Option(
                            names = "--key-file",
                            required = true,
                            paramLabel = "FILE",
                            description = "Its Ed25519 public key, PEM.")
                    Path keyFile) {
        String key;
        try {
            key = Files.readString(keyFile);
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot read the key file " + keyFile + ": " + e.getMessage());
        }
        JsonNode answer = audit.cli.client(Service.AUDIT).post("/audit/hosts", new HostKeyRegistration(host, key));
        HostKeyView registered = ApiBodies.read(answer, HostKeyView.class);
        audit.cli
                .printer()
                .print(
                        answer,
                        out -> out.println(
                                "registered key " + registered.fingerprint() + " for host " + registered.host()));
        return 0;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the registered keys (revoked ones too) and the hosts with events held for a key.")
    int list() {
        JsonNode answer = audit.cli.client(Service.AUDIT).get("/audit/hosts");
        List<HostKeyView> keys = Arrays.asList(ApiBodies.read(answer, HostKeyView[].class));
        audit.cli.printer().print(answer, out -> print(keys, out));
        return 0;
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a host's key: events signed with it are refused from now on; what it signed before"
                    + " still verifies.")
    int revoke(
            @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host.") String host,
            @Option(
                            names = "--fingerprint",
                            required = true,
                            paramLabel = "FP",
                            description = "The key's fingerprint (SHA256:...).")
                    String fingerprint) {
        // A fingerprint's base64 may hold '/': the route takes the rest of the path as the fingerprint.
        JsonNode answer = audit.cli
                .client(Service.AUDIT)
                .send("DELETE", "/audit/hosts/" + ServiceClient.segment(host) + "/keys/" + fingerprint, null);
        HostKeyView revoked = ApiBodies.read(answer, HostKeyView.class);
        audit.cli
                .printer()
                .print(
                        answer,
                        out -> out.println("revoked key " + revoked.fingerprint() + " of host " + revoked.host()
                                + " (by " + revoked.revokedBy() + ")"));
        return 0;
    }

    private static void print(List<HostKeyView> keys, PrintWriter out) {
        if (keys.isEmpty()) {
            out.println("no host keys registered");
            return;
        }
        Table table = new Table("HOST", "FINGERPRINT", "REGISTERED", "REVOKED", "HELD");
        for (HostKeyView k : keys) {
            table.row(
                    k.host(),
                    k.fingerprint(),
                    k.registeredBy() == null ? null : k.registeredBy() + " " + Json.time(k.registeredAt()),
                    k.revokedBy() == null ? null : k.revokedBy() + " " + Json.time(k.revokedAt()),
                    k.held() == null ? null : String.valueOf(k.held()));
        }
        table.print(out);
    }
}
