package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code process.summary}: execs and exits seen and how they were captured: {@code mechanism} {@value #EBPF} (the
 * kernel reported the execs and exits of the processes in the command's {@code cgroup}, read from gitcrq-proctrace:
 * {@code unparsableLines} and its {@code toolMessages}) or {@value #STRACE} (strace traced the tree:
 * {@code straceLines} read and unparsable, {@code mode} attached, launched or followed, {@code seccompBpf} whether the
 * kernel filtered the traced calls, and strace's own messages). {@code attachedBecause}/{@code attachedLate} are added
 * by exec-agent (ExecAudit) to an attached tracer's summary, {@code ebpfUnavailable} to a strace summary where the
 * host would have used eBPF but could not (why). See {@link FileSummary} for {@code stopError} and
 * {@code sinkFailures}.
 */
public record ProcessSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,
        @JsonInclude(Include.NON_NULL) Long execs,
        @JsonInclude(Include.NON_NULL) Long exits,
        @JsonInclude(Include.NON_NULL) Long straceLines,
        @JsonInclude(Include.NON_NULL) String mode,
        @JsonInclude(Include.NON_NULL) Boolean seccompBpf,
        @JsonInclude(Include.NON_NULL) Long unparsableLines,
        @JsonInclude(Include.NON_NULL) List<String> straceMessages,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures,
        @JsonInclude(Include.NON_NULL) String attachedBecause,
        @JsonInclude(Include.NON_NULL) Boolean attachedLate,
        @JsonInclude(Include.NON_NULL) String mechanism,
        @JsonInclude(Include.NON_NULL) String cgroup,
        @JsonInclude(Include.NON_NULL) List<String> toolMessages,
        @JsonInclude(Include.NON_NULL) String ebpfUnavailable)
        implements AuditPayload, TracerSummary {

    /** {@code mechanism}: the kernel's own events (eBPF), no process stopped. */
    public static final String EBPF = "ebpf";
    /** {@code mechanism}: strace (ptrace) followed or attached to the tree. */
    public static final String STRACE = "strace";

    public ProcessSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    /**
     * The summary as exec-agent's ExecAudit annotates an attached tracer's: why it attached rather than followed the
     * command, and ({@code attachedLate}, written only when true) whether the command ran before it attached.
     */
    @Override
    public ProcessSummary attached(String because, boolean late) {
        return new ProcessSummary(
                seen,
                captured,
                dropped,
                droppedBy,
                fellBehind,
                execs,
                exits,
                straceLines,
                mode,
                seccompBpf,
                unparsableLines,
                straceMessages,
                stopError,
                sinkFailures,
                because,
                late ? Boolean.TRUE : null,
                mechanism,
                cgroup,
                toolMessages,
                ebpfUnavailable);
    }

    /** The summary as exec-agent annotates a strace summary where eBPF was to be used but could not: why. */
    public ProcessSummary ebpfUnavailable(String why) {
        return new ProcessSummary(
                seen,
                captured,
                dropped,
                droppedBy,
                fellBehind,
                execs,
                exits,
                straceLines,
                mode,
                seccompBpf,
                unparsableLines,
                straceMessages,
                stopError,
                sinkFailures,
                attachedBecause,
                attachedLate,
                mechanism,
                cgroup,
                toolMessages,
                why);
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(ProcessExec.KIND);
    }
}
