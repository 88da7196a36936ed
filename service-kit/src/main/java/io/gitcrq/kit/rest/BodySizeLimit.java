package io.gitcrq.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size} with 413 and a
 * problem body, before anything reads it (Quarkus' own check, which also covers chunked bodies, answers with an
 * empty 413). Runs first on every route, before authentication.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long maxBytes;
    private final String problem;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        this.maxBytes = max.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        try {
            this.problem = JSON.writeValueAsString(Problem.of(
                    413,
                    "Content Too Large",
                    "request bodies of more than " + maxBytes
                            + " bytes are refused (quarkus.http.limits.max-body-size)"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    void check(RoutingContext context) {
        if (declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > maxBytes) {
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .end(problem);
            return;
        }
        context.next();
    }

    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
