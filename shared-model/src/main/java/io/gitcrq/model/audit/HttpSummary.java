package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * {@code http.summary}: where the proxy listened, connections accepted, plain requests and CONNECT tunnels. See
 * {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record HttpSummary(
        long captured,
        long dropped,
        @JsonInclude(Include.NON_NULL) String listen,
        @JsonInclude(Include.NON_NULL) Long connections,
        @JsonInclude(Include.NON_NULL) Long requests,
        @JsonInclude(Include.NON_NULL) Long tunnels,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    @Override
    public String kind() {
        return AuditPayload.summaryOf(HttpExchange.KIND);
    }
}
