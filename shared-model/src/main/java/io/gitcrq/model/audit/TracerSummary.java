package io.gitcrq.model.audit;

/**
 * The summary of a source that traces the command's processes ({@link ProcessSummary}, {@link SyscallSummary}),
 * which exec-agent annotates when the tracer attached to the command rather than followed it from its start.
 */
public interface TracerSummary extends SourceSummary {

    /** Why the tracer attached (null: it did not). */
    String attachedBecause();

    /** True when the command ran before its tracer attached; null otherwise (never written false). */
    Boolean attachedLate();

    /** This summary with {@code attachedBecause} and, when {@code late}, {@code attachedLate: true}. */
    AuditPayload attached(String because, boolean late);
}
