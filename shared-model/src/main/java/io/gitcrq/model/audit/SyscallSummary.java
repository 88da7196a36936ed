package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code syscall.summary}: processes seen, strace lines read and unparsable, how the tree was traced ({@code mode}:
 * attached or followed) and strace's own messages; {@code captured} counts the calls summarised.
 * {@code attachedBecause}/{@code attachedLate} are added by exec-agent, as to {@link ProcessSummary}. See
 * {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record SyscallSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,
        @JsonInclude(Include.NON_NULL) Integer processes,
        @JsonInclude(Include.NON_NULL) Long straceLines,
        @JsonInclude(Include.NON_NULL) String mode,
        @JsonInclude(Include.NON_NULL) Boolean seccompBpf,
        @JsonInclude(Include.NON_NULL) Long unparsableLines,
        @JsonInclude(Include.NON_NULL) List<String> straceMessages,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures,
        @JsonInclude(Include.NON_NULL) String attachedBecause,
        @JsonInclude(Include.NON_NULL) Boolean attachedLate)
        implements AuditPayload, TracerSummary {

    public SyscallSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    /**
     * The summary as exec-agent's ExecAudit annotates an attached tracer's: why it attached rather than followed the
     * command, and ({@code attachedLate}, written only when true) whether the command ran before it attached.
     */
    @Override
    public SyscallSummary attached(String because, boolean late) {
        return new SyscallSummary(
                seen,
                captured,
                dropped,
                droppedBy,
                fellBehind,
                processes,
                straceLines,
                mode,
                seccompBpf,
                unparsableLines,
                straceMessages,
                stopError,
                sinkFailures,
                because,
                late ? Boolean.TRUE : null);
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(SyscallProcess.KIND);
    }
}
