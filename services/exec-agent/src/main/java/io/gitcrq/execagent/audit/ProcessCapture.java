package io.gitcrq.execagent.audit;

/**
 * How an exec's {@code process} source captures ({@link AuditPlan#processCapture()}): {@code ebpf}, the kernel's events
 * of the command's cgroup, else strace; {@code fallsBack}, whether eBPF that cannot start for an exec gives way to
 * strace ({@code gitcrq.exec.audit.process.mechanism=auto}) rather than leaving the exec without the source; and
 * {@code ebpfUnavailable}, why strace where the host would have taken eBPF.
 */
public record ProcessCapture(boolean ebpf, boolean fallsBack, String ebpfUnavailable) {

    /** {@code mechanism=ebpf}: eBPF or nothing. */
    static final ProcessCapture EBPF_ONLY = new ProcessCapture(true, false, null);
    /** {@code mechanism=auto} where the host allows eBPF. */
    static final ProcessCapture EBPF_ELSE_STRACE = new ProcessCapture(true, true, null);
    /** {@code mechanism=strace}. */
    static final ProcessCapture STRACE = new ProcessCapture(false, false, null);

    /** strace, where eBPF was wanted: {@code why} it cannot be used. */
    static ProcessCapture straceSince(String why) {
        return new ProcessCapture(false, false, why);
    }
}
