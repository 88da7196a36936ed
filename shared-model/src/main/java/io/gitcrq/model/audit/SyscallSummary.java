package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * {@code syscall.summary}: processes seen, strace lines read and unparsable, how the tree was traced ({@code mode}:
 * attached or followed) and strace's own messages; {@code captured} counts the calls summarised.
 * {@code attachedBecause}/{@code attachedLate} are added by exec-agent, as to {@link ProcessSummary}. See
 * {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record SyscallSummary(
        long captured,
        long dropped,
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

    /**
     * The summary as exec-agent's ExecAudit annotates an attached tracer's: why it attached rather than followed the
     * command, and ({@code attachedLate}, written only when true) whether the command ran before it attached.
     */
    @Override
    public SyscallSummary attached(String because, boolean late) {
        return new SyscallSummary(
                captured,
                dropped,
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
