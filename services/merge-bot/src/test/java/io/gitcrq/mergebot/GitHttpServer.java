package io.gitcrq.mergebot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A real Git smart-HTTP server for tests: {@code git http-backend} (git's own CGI program) behind the JDK's
 * HTTP server, serving the repositories under a directory, for one user with HTTP basic authentication —
 * what a Git host asks merge-bot for when it pushes to a remote repository.
 */
final class GitHttpServer implements AutoCloseable {

    private static final String HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

    private final HttpServer server;
    private final Path root;
    private final String authorization;

    GitHttpServer(Path root, String user, String password) throws IOException {
        this.root = root;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::serve);
        server.start();
    }

    /** The URL of a repository directory under the root, e.g. {@code origin.git}. */
    String url(String repository) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            ProcessBuilder cgi = new ProcessBuilder(HTTP_BACKEND);
            Map<String, String> env = cgi.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", exchange.getRequestURI().getPath());
            env.put(
                    "QUERY_STRING",
                    exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : exchange.getRequestURI().getRawQuery());
            env.put("CONTENT_LENGTH", Integer.toString(body.length));
            env.put("REMOTE_USER", "merge-bot");
            env.put("REMOTE_ADDR", "127.0.0.1");
            exchange.getRequestHeaders().forEach((name, values) -> {
                String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
                if (key.equals("TRANSFER_ENCODING") || key.equals("CONTENT_LENGTH")) {
                    return; // the JDK server already de-chunked the body; its length is above
                }
                if (key.equals("CONTENT_TYPE")) {
                    env.put("CONTENT_TYPE", values.get(0));
                } else {
                    env.put("HTTP_" + key, values.get(0));
                }
            });
            Process process = cgi.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(body);
            }
            byte[] output;
            try (InputStream out = process.getInputStream()) {
                output = out.readAllBytes();
            }
            respond(exchange, output);
        }
    }

    /** Turns the CGI output (headers, a blank line, the body) into the HTTP response. */
    private static void respond(HttpExchange exchange, byte[] output) throws IOException {
        int headerEnd = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int separator = 4;
        if (headerEnd < 0) {
            headerEnd = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
            separator = 2;
        }
        String headers = new String(output, 0, Math.max(headerEnd, 0), StandardCharsets.ISO_8859_1);
        int status = 200;
        for (String line : headers.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headerEnd >= 0) {
            body.write(output, headerEnd + separator, output.length - headerEnd - separator);
        }
        exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
        if (body.size() > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
