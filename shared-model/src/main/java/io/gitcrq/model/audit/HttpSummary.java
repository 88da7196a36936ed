package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * {@code http.summary}: where the proxy listened, connections accepted, plain requests and CONNECT tunnels. See
 * {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record HttpSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,
        @JsonInclude(Include.NON_NULL) String listen,
        @JsonInclude(Include.NON_NULL) Long connections,
        @JsonInclude(Include.NON_NULL) Long requests,
        @JsonInclude(Include.NON_NULL) Long tunnels,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    public HttpSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(HttpExchange.KIND);
    }
}
