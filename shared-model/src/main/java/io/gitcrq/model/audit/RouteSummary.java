package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code route.summary}: lines ip printed that could not be read, the netlink socket's own drops, the namespace
 * watched and the tool's messages. See {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record RouteSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,
        @JsonInclude(Include.NON_NULL) Long unparsableLines,
        @JsonInclude(Include.NON_NULL) Long netlinkDrops,
        @JsonInclude(Include.NON_NULL) String netns,
        @JsonInclude(Include.NON_NULL) List<String> toolMessages,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    public RouteSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(RouteChange.KIND);
    }
}
