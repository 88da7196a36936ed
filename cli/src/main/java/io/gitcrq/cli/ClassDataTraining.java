package io.gitcrq.cli;

import com.sun.net.httpserver.HttpServer;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.process.CliEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training run of the CLI's class-data archive (AppCDS): the root {@code ./gitcrq} script runs it once per built
 * jar under {@code -XX:DumpLoadedClassList} and dumps the classes it loaded into {@code cli/target/gitcrq-cli.jsa},
 * which every later command maps instead of loading, verifying and linking those classes again (bench P6). It runs
 * the commands people run most — {@code crq show}, {@code crq list}, {@code audit --crq}, their {@code --json} forms,
 * help and a usage error — against a local stand-in for the services that answers every call with a small body of the
 * right shape; nothing is printed and nothing leaves this process.
 */
public final class ClassDataTraining {

    private static final String CRQ = """
            {"id":"CRQ-1","title":"Training","description":"d","requester":"alice","approver":"bob",
             "approvedCommit":"0123456789abcdef0123456789abcdef01234567","repo":"r","targetBranch":"main",
             "status":"APPROVED","mergeState":"BLOCKED","waitingReason":null,"blockedReason":"conflict",
             "approvalWithdrawn":null,"mergeCommit":null,"createdAt":"2025-03-01T09:00:00.123456Z",
             "updatedAt":"2025-03-01T10:00:00Z",
             "links":{"branches":[{"repo":"r","branch":"feature/CRQ-1-x","head":"0123456789abcdef"}],
                      "commits":[{"repo":"r","branch":"feature/CRQ-1-x","commitId":"0123456789abcdef",
                                  "message":"CRQ-1: x","linkedAt":"2025-03-01T09:10:00Z"}]},
             "history":[{"from":null,"to":"DRAFT","actor":"alice","reason":null,"at":"2025-03-01T09:00:00Z"}]}""";

    private static final String AUDIT = """
            {"items":[{"occurredAt":"2025-03-01T09:00:00Z","host":"h","crqId":"CRQ-1","kind":"exec",
                       "payload":{"command":"make","exitCode":0}}],"page":0,"size":20,"total":1}""";

    private static final List<List<String>> COMMANDS = List.of(
            List.of("crq", "show", "CRQ-1"),
            List.of("crq", "show", "CRQ-1", "--json"),
            List.of("crq", "list"),
            List.of("crq", "list", "--status", "APPROVED", "--json"),
            List.of("audit", "--crq", "CRQ-1"),
            List.of("audit", "--crq", "CRQ-1", "--json"),
            List.of("merges"),
            List.of("repo", "list"),
            List.of("crq", "show", "12"),
            List.of("crq", "--help"));

    private ClassDataTraining() {}

    public static void main(String[] args) throws IOException {
        run();
    }

    /** Runs the training commands; their exit codes, in order (the usage error's is 2, the others' 0). */
    static List<Integer> run() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.startsWith("/crqs/") ? CRQ : path.startsWith("/audit") ? AUDIT : "[" + CRQ + "]";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            Map<String, String> urls = new HashMap<>();
            for (Service service : Service.values()) {
                urls.put(
                        service.systemProperty(),
                        "http://127.0.0.1:" + server.getAddress().getPort());
            }
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            CliEnvironment environment = new CliEnvironment(
                    nowhere,
                    nowhere,
                    Map.of("GITCRQ_USER", "training", "GITCRQ_PASSWORD", "training"),
                    urls::get,
                    prompt -> Optional.empty(),
                    Path.of("").toAbsolutePath(),
                    Duration.ofMillis(200));
            List<Integer> exitCodes = new ArrayList<>();
            for (List<String> command : COMMANDS) {
                exitCodes.add(new GitcrqCli(environment).execute(command.toArray(String[]::new)));
            }
            return exitCodes;
        } finally {
            server.stop(0);
        }
    }
}
