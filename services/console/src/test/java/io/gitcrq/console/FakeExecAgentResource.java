package io.gitcrq.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The exec-agent of host {@value #HOST}, as far as the console uses it: {@code GET /execs/{id}/recording} answers the
 * recordings the test gave it (404 problem otherwise), and every request's Authorization header is kept.
 */
public class FakeExecAgentResource implements QuarkusTestResourceLifecycleManager {

    static final String HOST = "recording-host";
    static final Map<String, String> RECORDINGS = new ConcurrentHashMap<>();
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/execs/", this::handle);
        server.start();
        return Map.of(
                "gitcrq.console.exec-agents.\"" + HOST + "\".url",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String path = exchange.getRequestURI().getPath();
        String execId = path.substring("/execs/".length()).replaceAll("/recording$", "");
        String cast = path.endsWith("/recording") ? RECORDINGS.get(execId) : null;
        byte[] body = (cast != null ? cast : "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no recording\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .add("Content-Type", cast != null ? "application/x-asciicast" : "application/problem+json");
        exchange.sendResponseHeaders(cast != null ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
