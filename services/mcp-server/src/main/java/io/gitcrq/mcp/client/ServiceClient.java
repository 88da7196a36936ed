package io.gitcrq.mcp.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import io.gitcrq.mcp.config.McpServerConfig;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.model.api.ApiJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Calls an owning service's REST API as the caller: their {@code Authorization} header, forwarded unchanged, is the
 * only credential sent, so the service applies its own rules to them (roles, separation of duties). A refusal
 * (4xx, 5xx, no answer) becomes the service-kit exception of its kind, its detail saying which service answered what.
 */
@ApplicationScoped
public class ServiceClient {

    private static final ObjectMapper JSON = ApiJson.mapper();
    /** The IETF draft's header: the service runs a repeated request once. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** How long {@link #postOnce} repeats a request a service could not answer (a restart takes 10-20 s). */
    static final Duration REPEAT_FOR = Duration.ofSeconds(60);

    private static final Duration REPEAT_PAUSE = Duration.ofSeconds(1);

    private final McpServerConfig config;
    private final HttpClient http;

    public ServiceClient(McpServerConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public JsonNode get(Caller caller, OwningService service, String path) {
        return json(send(caller, service, request(service, path).GET(), "application/json"));
    }

    /** A response body that is not JSON (an asciicast recording), as text. */
    public String getText(Caller caller, OwningService service, String path, String accept) {
        return send(caller, service, request(service, path).GET(), accept);
    }

    public JsonNode post(Caller caller, OwningService service, String path, Object body) {
        return json(send(caller, service, postRequest(service, path, body), "application/json"));
    }

    /**
     * POSTs {@code body} with an {@code Idempotency-Key} of its own, and sends it again with that key while the service
     * cannot answer (no answer, 503: a restart) for up to {@link #REPEAT_FOR}: the service does the work once, and a
     * repeat gets what the first try made. For the requests that make something (a CRQ, an exec, a workflow run).
     */
    public JsonNode postOnce(Caller caller, OwningService service, String path, Object body) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + REPEAT_FOR.toNanos();
        while (true) {
            HttpRequest.Builder request = postRequest(service, path, body).header(IDEMPOTENCY_KEY, key);
            try {
                return json(send(caller, service, request, "application/json"));
            } catch (UpstreamUnavailableException unanswered) {
                if (System.nanoTime() > deadline) {
                    throw unanswered;
                }
                pause();
            }
        }
    }

    private HttpRequest.Builder postRequest(OwningService service, String path, Object body) {
        String text;
        try {
            text = body == null ? "" : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request body for " + path, e);
        }
        return request(service, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
    }

    private static void pause() {
        try {
            Thread.sleep(REPEAT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while repeating a request", e);
        }
    }

    /** A path segment, percent-encoded (a CRQ id, a repository name, an exec id). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?k=v&…} of the parameters that are set (null values left out), encoded. */
    public static String query(String path, Map<String, ?> parameters) {
        StringJoiner query = new StringJoiner("&");
        new LinkedHashMap<>(parameters).forEach((k, v) -> {
            if (v != null && !v.toString().isBlank()) {
                query.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        return query.length() == 0 ? path : path + "?" + query;
    }

    private HttpRequest.Builder request(OwningService service, String path) {
        McpServerConfig.ServiceUrl base = config.services().get(service.serviceName());
        if (base == null) {
            throw new UpstreamUnavailableException(service.serviceName() + " is not configured (gitcrq.mcp.services.\""
                    + service.serviceName() + "\".url)");
        }
        String url = base.url().replaceAll("/+$", "") + path;
        return HttpRequest.newBuilder(URI.create(url)).timeout(config.requestTimeout());
    }

    private String send(Caller caller, OwningService service, HttpRequest.Builder request, String accept) {
        request.header("Accept", accept + ", application/problem+json");
        if (caller.authorization() != null) {
            request.header("Authorization", caller.authorization());
        }
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UpstreamUnavailableException(
                    service.serviceName() + " did not answer " + built.method() + " "
                            + built.uri().getPath() + ": " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while calling " + service.serviceName(), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        throw refusal(service, status, detailOf(response.body()));
    }

    /** The service-kit exception for an owning service's answer: its detail names the service and the status. */
    static DomainException refusal(OwningService service, int status, String detail) {
        String message = service.serviceName() + " answered " + status
                + (detail == null || detail.isBlank() ? "" : ": " + detail);
        return switch (status) {
            case 400, 413, 422 -> new InvalidRequestException(message);
            case 401 -> new NotAuthenticatedException(message + " (not logged in, or the credentials were refused)");
            case 403 -> new NotPermittedException(message);
            case 404 -> new EntityNotFoundException(message);
            case 409 -> new ConflictException(message);
            default -> new UpstreamUnavailableException(message);
        };
    }

    /** A problem body's detail (or title), else the body itself, shortened. */
    private static String detailOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
        } catch (JsonProcessingException notJson) {
            // fall through: say what it was
        }
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UpstreamUnavailableException("an owning service answered with JSON gitcrq cannot read: " + e);
        }
    }
}
