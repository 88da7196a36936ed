package io.gitcrq.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.process.CliFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one way the CLI calls a service: JSON in and out, Basic auth or a bearer token on every request, problem bodies turned into
 * {@link ServiceProblemException}, connection failures into {@link ServiceUnreachableException}.
 */
public final class ServiceClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #postOnce} repeats a request a service could not answer (a restart takes 10-20 s). */
    static final Duration REPEAT_FOR = Duration.ofSeconds(60);
    /** The IETF draft's header: the service runs a repeated request once. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Service service;
    private final String baseUrl;
    private final Supplier<Credentials> credentials;
    private final HttpClient http;

    /**
     * @param credentials asked for on the first request only, so a command that fails before calling anything
     *                    never prompts for a password
     */
    public ServiceClient(Service service, String baseUrl, Supplier<Credentials> credentials) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // One request or a few per command: HTTP/1.1, without an attempt to upgrade to HTTP/2 first.
                .version(HttpClient.Version.HTTP_1_1);
        if (baseUrl.regionMatches(true, 0, "http://", 0, 7)) {
            http.sslContext(new PlainHttpOnly()); // no TLS set up for a service served in plain HTTP
        }
        this.http = http.build();
    }

    public Service service() {
        return service;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** POSTs {@code body} as JSON (a {@link JsonNode}, a map or a record); an empty object when null. */
    public JsonNode post(String path, Object body) {
        return send("POST", path, body == null ? Map.of() : body);
    }

    /** The response body as JSON; {@link MissingNode} when the service sent none. */
    public JsonNode send(String method, String path, Object body) {
        Credentials who = credentials.get();
        URI uri = URI.create(baseUrl + path);
        HttpResponse<String> response = exchange(
                request(uri, who, method, body).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                method + " " + uri);
        if (response.statusCode() >= 400) {
            throw problem(response, who);
        }
        return parse(response.body(), uri);
    }

    /**
     * POSTs {@code body} with an {@code Idempotency-Key} of its own, and sends it again with the same key while no
     * answer comes (the connection broke after the request went out, or the service answered 503 while it stopped
     * or could not reach its database), for up to {@link #REPEAT_FOR}: the service runs it once, and a repeat gets
     * what the first try did. A service that cannot be reached at all fails at once, as for {@link #send}.
     */
    public JsonNode postOnce(String path, Object body) {
        Credentials who = credentials.get();
        URI uri = URI.create(baseUrl + path);
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + REPEAT_FOR.toNanos();
        while (true) {
            HttpRequest request = request(uri, who, "POST", body == null ? Map.of() : body)
                    .header(IDEMPOTENCY_KEY, key)
                    .build();
            HttpResponse<String> response;
            try {
                response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), "POST " + uri);
            } catch (ServiceUnreachableException unreachable) {
                throw unreachable;
            } catch (CliFailure broken) {
                if (System.nanoTime() > deadline) {
                    throw broken;
                }
                pause(Duration.ofSeconds(1));
                continue;
            }
            if (response.statusCode() == 503 && System.nanoTime() < deadline) {
                pause(retryAfter(response));
                continue;
            }
            if (response.statusCode() >= 400) {
                throw problem(response, who);
            }
            return parse(response.body(), uri);
        }
    }

    /** The service's Retry-After in seconds, kept between 1 and 5 s; 1 s without one. */
    private static Duration retryAfter(HttpResponse<?> response) {
        long seconds = response.headers()
                .firstValue("Retry-After")
                .filter(v -> v.matches("[0-9]{1,4}"))
                .map(Long::parseLong)
                .orElse(1L);
        return Duration.ofSeconds(Math.max(1, Math.min(5, seconds)));
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.FAILED, "interrupted while calling " + service.displayName(), e);
        }
    }

    private HttpRequest.Builder request(URI uri, Credentials who, String method, Object body) {
        HttpRequest.Builder request = request(uri, "application/json", who);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(toJson(body), StandardCharsets.UTF_8));
        }
        return request;
    }

    /**
     * GETs a body that is not JSON (a recording), as text; {@code accept} is the media type asked for. Errors
     * are handled as for JSON calls: problem bodies, unreachable services.
     */
    public String getText(String path, String accept) {
        Credentials who = credentials.get();
        URI uri = URI.create(baseUrl + path);
        HttpResponse<String> response = exchange(
                request(uri, accept, who).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                "GET " + uri);
        if (response.statusCode() >= 400) {
            throw problem(response, who);
        }
        return response.body() == null ? "" : response.body();
    }

    /**
     * GETs {@code path} accepting {@code mediaType} (e.g. {@code application/x-ndjson}) and hands each line of the
     * body to {@code line} as it arrives, holding none of it; returns the number of lines. Problems and connection
     * failures end as for {@link #send}.
     */
    public long getLines(String path, String mediaType, Consumer<String> line) {
        Credentials who = credentials.get();
        URI uri = URI.create(baseUrl + path);
        HttpResponse<Stream<String>> response =
                exchange(request(uri, mediaType, who).GET().build(), HttpResponse.BodyHandlers.ofLines(), "GET " + uri);
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), lines.collect(Collectors.joining("\n")), who);
            }
            long[] count = {0};
            lines.forEach(text -> {
                line.accept(text);
                count[0]++;
            });
            return count[0];
        } catch (UncheckedIOException e) {
            throw new CliFailure(CliFailure.FAILED, "GET " + uri + " broke off: " + e.getCause(), e);
        }
    }

    private static HttpRequest.Builder request(URI uri, String accept, Credentials who) {
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", accept + ", application/problem+json")
                .header("Authorization", who.authorization());
    }

    /** Sends the request; a service that cannot be reached is a {@link ServiceUnreachableException}. */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body, String what) {
        try {
            return http.send(request, body);
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new ServiceUnreachableException(service, baseUrl, e);
        } catch (IOException e) {
            // The JDK client reports some refused connections as a plain IOException wrapping ConnectException.
            if (causedByConnectFailure(e)) {
                throw new ServiceUnreachableException(service, baseUrl, e);
            }
            throw new CliFailure(CliFailure.FAILED, what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.FAILED, "interrupted while calling " + service.displayName(), e);
        }
    }

    /** A path segment (repo name, id) made safe for a URL path. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} from the non-null entries of {@code params} (in their iteration order); "" if none. */
    public static String query(Map<String, ?> params) {
        StringJoiner joined = new StringJoiner("&", "?", "");
        joined.setEmptyValue("");
        params.forEach((name, value) -> {
            if (value != null && !String.valueOf(value).isEmpty()) {
                joined.add(segment(name) + "=" + segment(String.valueOf(value)));
            }
        });
        return joined.toString();
    }

    private ServiceProblemException problem(HttpResponse<String> response, Credentials who) {
        return problem(response.statusCode(), response.body(), who);
    }

    private ServiceProblemException problem(int status, String responseBody, Credentials who) {
        String title = null;
        String detail = null;
        String body = responseBody == null ? "" : responseBody.trim();
        try {
            JsonNode problem = body.isEmpty() ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
            title = Json.text(problem, "title");
            detail = Json.text(problem, "detail");
        } catch (JsonProcessingException notJson) {
            detail = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
        if (title == null || title.isBlank()) {
            title = reasonPhrase(status);
        }
        return new ServiceProblemException(service, status, title, detail, who);
    }

    private JsonNode parse(String body, URI uri) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    service.displayName() + " sent a response that is not JSON from " + uri + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    private static String toJson(Object body) {
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write request body as JSON", e);
        }
    }

    private static boolean causedByConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
