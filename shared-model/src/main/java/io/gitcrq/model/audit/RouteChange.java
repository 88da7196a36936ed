package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Objects;

/**
 * {@code route}: a route {@code added} or {@code deleted} ({@code action}), as {@code ip monitor route} printed it
 * ({@code line}, in full); the parts ip printed are set, {@code table} is {@code main} when ip left it out and
 * {@code netns} names the network namespace watched, if any.
 */
public record RouteChange(
        String action,
        String type,
        String destination,
        @JsonInclude(Include.NON_NULL) String gateway,
        @JsonInclude(Include.NON_NULL) String device,
        @JsonInclude(Include.NON_NULL) String protocol,
        @JsonInclude(Include.NON_NULL) String scope,
        @JsonInclude(Include.NON_NULL) String source,
        @JsonInclude(Include.NON_NULL) String metric,
        String table,
        @JsonInclude(Include.NON_NULL) String netns,
        String line)
        implements AuditPayload {

    public static final String KIND = "route";

    public RouteChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(line, "line");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
