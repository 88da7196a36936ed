package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * {@code route.summary}: lines ip printed that could not be read, the netlink socket's own drops, the namespace
 * watched and the tool's messages. See {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record RouteSummary(
        long captured,
        long dropped,
        @JsonInclude(Include.NON_NULL) Long unparsableLines,
        @JsonInclude(Include.NON_NULL) Long netlinkDrops,
        @JsonInclude(Include.NON_NULL) String netns,
        @JsonInclude(Include.NON_NULL) List<String> toolMessages,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    @Override
    public String kind() {
        return AuditPayload.summaryOf(RouteChange.KIND);
    }
}
