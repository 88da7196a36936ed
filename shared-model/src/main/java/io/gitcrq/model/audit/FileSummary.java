package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code file.summary}: what the file source captured and dropped, how it watched ({@code mechanism}:
 * inotifywait or watchservice, with a {@code note} for the latter), kernel queue {@code overflows} and the tool's
 * own messages. As every summary: a failed stop leaves the source's totals out and says {@code stopError}
 * instead; {@code sinkFailures} counts records the consumer threw on.
 */
public record FileSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,
        @JsonInclude(Include.NON_NULL) String mechanism,
        @JsonInclude(Include.NON_NULL) Long overflows,
        @JsonInclude(Include.NON_NULL) List<String> toolMessages,
        @JsonInclude(Include.NON_NULL) String note,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    public FileSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(FileChange.KIND);
    }
}
