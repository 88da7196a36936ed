package io.gitcrq.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server standing in for the owning services' REST APIs in the module's tests: each service under its own
 * path prefix ({@code /crq-service/crqs}), answering what the test scripted for a method and path, and keeping every
 * request it got (with its Authorization header) for the test to check. The platform test (e2e's RunningPlatformIT.AgentOverMcp) runs
 * the real services.
 */
public class OwningServicesResource implements QuarkusTestResourceLifecycleManager {

    static final List<String> SERVICES =
            List.of("crq-service", "git-watcher", "merge-bot", "audit-collector", "exec-agent");

    /** A request as the owning service got it. */
    public record Received(String method, String path, String authorization, String idempotencyKey, String body) {}

    /** A scripted answer. */
    public record Answer(int status, String contentType, String body) {}

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final Map<String, Deque<Answer>> SCRIPT = new ConcurrentHashMap<>();

    private HttpServer server;

    /** Answers {@code method path} (path with its query, under the service's prefix) with these, in turn; the last one stays. */
    static void answer(String method, String path, Answer... answers) {
        SCRIPT.put(method + " " + path, new ArrayDeque<>(List.of(answers)));
    }

    static Answer json(int status, String body) {
        return new Answer(status, status >= 400 ? "application/problem+json" : "application/json", body);
    }

    static void reset() {
        RECEIVED.clear();
        SCRIPT.clear();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        Map<String, String> config = new LinkedHashMap<>();
        for (String service : SERVICES) {
            config.put(
                    "gitcrq.mcp.services.\"" + service + "\".url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/" + service);
        }
        return config;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        RECEIVED.add(new Received(
                exchange.getRequestMethod(),
                path,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                body));
        Deque<Answer> answers = SCRIPT.get(exchange.getRequestMethod() + " " + path);
        Answer answer;
        if (answers == null || answers.isEmpty()) {
            answer = json(
                    404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"nothing scripted for " + path + "\"}");
        } else {
            synchronized (answers) {
                answer = answers.size() > 1 ? answers.poll() : answers.peek();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
