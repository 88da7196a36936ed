package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Objects;

/**
 * What exec-agent publishes for a record of an audit source (file, process, …, and each {@code <kind>.summary}):
 * the exec it belongs to and that exec's log first, then the source's own fields. This is the payload of the
 * AuditCaptured event of the source record's kind; each audit schema of a source kind lists {@code execId} and
 * {@code logPath} for that reason.
 */
public record ExecSourceRecord(
        String execId, String logPath, @JsonUnwrapped AuditPayload record) {

    public ExecSourceRecord {
        Objects.requireNonNull(execId, "execId");
        Objects.requireNonNull(record, "record");
    }

    public String kind() {
        return record.kind();
    }
}
