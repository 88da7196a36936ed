package io.gitcrq.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.Platform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What each service instance's readiness says of its outbox relay: the one relaying, the ones standing by. */
final class RelayRoles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Platform platform;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RelayRoles(Platform platform) {
        this.platform = platform;
    }

    /** The relay's role ("active", "standby") an instance's readiness shows, or null (no relay, or no answer). */
    String of(String instance) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(platform.url(instance) + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(r.body()).path("checks")) {
                if (check.path("name").asText().equals("outbox-relay")) {
                    return check.path("data").path("relay").asText(null);
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
