package io.gitcrq.console.client;

import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads an exec's recording from the exec-agent of its host, as the person who asks: their {@code Authorization}
 * header, forwarded unchanged, is the only credential sent, so exec-agent applies its own rules to them. The console
 * keeps no recording: a recording stays on its host, where it was made.
 */
@ApplicationScoped
public class ExecAgentClient {

    /** asciinema's media type for asciicast files, what exec-agent serves recordings as. */
    public static final String ASCIICAST = "application/x-asciicast";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** The asciicast of {@code execId} from the exec-agent at {@code baseUrl}. */
    public String recording(String host, String baseUrl, String execId, String authorization) {
        String path =
                "/execs/" + URLEncoder.encode(execId, StandardCharsets.UTF_8).replace("+", "%20") + "/recording";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + path))
                .timeout(TIMEOUT)
                .header("Accept", ASCIICAST + ", application/problem+json")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UpstreamUnavailableException("the exec-agent of host " + host + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while reading a recording from host " + host, e);
        }
        return switch (response.statusCode()) {
            case 200 -> response.body();
            case 401 ->
                throw new NotAuthenticatedException("the exec-agent of host " + host + " refused the credentials");
            case 403 -> throw new NotPermittedException("the exec-agent of host " + host + " refused: not allowed");
            case 404 -> throw new EntityNotFoundException("host " + host + " keeps no recording of exec " + execId);
            default ->
                throw new UpstreamUnavailableException(
                        "the exec-agent of host " + host + " answered " + response.statusCode() + " for the recording");
        };
    }
}
