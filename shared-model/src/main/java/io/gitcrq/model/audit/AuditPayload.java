package io.gitcrq.model.audit;

/**
 * The payload of an audit record: what gets hashed, chained and exported to auditors as the {@code payload} of an
 * {@code AuditCaptured} event of {@link #kind()}. One record per kind, or per shape of a kind where a kind has
 * several (told apart by their {@code event} field: {@link ProcessExec}/{@link ProcessExit}, the workflow
 * records). Field names, order and types are the wire form: Jackson writes the record components in order, a
 * component without {@code @JsonInclude(NON_NULL)} always (null or not), one with it only when set. The JSON Schema
 * of each kind is generated from these records (docs/api/schemas/audit/KIND.schema.json).
 */
public sealed interface AuditPayload
        permits FileChange,
                FileSummary,
                ProcessExec,
                ProcessExit,
                ProcessSummary,
                SyscallProcess,
                SyscallSummary,
                RouteChange,
                RouteSummary,
                NetworkFlow,
                NetworkSummary,
                HttpExchange,
                HttpSummary,
                ExecEnd,
                ExecFailed,
                ExecRefused,
                ExecCancelRequested,
                Launch,
                WorkflowStarted,
                WorkflowCancelRequested,
                WorkflowFinished,
                AuditSourceFailed,
                GovernanceChange,
                AuditRejected,
                AgentToolCall {

    /** The audit kind, e.g. {@code file} or {@code file.summary}: the AuditCaptured event's {@code kind}. */
    String kind();

    /** The kind of the record a source publishes when it stops: {@code <kind>.summary}. */
    static String summaryOf(String kind) {
        return kind + ".summary";
    }
}
