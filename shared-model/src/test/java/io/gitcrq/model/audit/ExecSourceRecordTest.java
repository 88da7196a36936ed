package io.gitcrq.model.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gitcrq.model.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecSourceRecordTest {

    @Test
    void writesTheExecAndItsLogFirstThenTheSourcesFieldsAsAuditLedgerDoes() {
        ProcessExit exit = new ProcessExit(7, 1L, 0, null, "/bin/true", List.of("true"));
        Map<String, Object> source =
                EventCodec.mapper().convertValue(exit, new TypeReference<LinkedHashMap<String, Object>>() {});
        // AuditLedger.event: execId, logPath, then the source record's payload
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("execId", "x-42");
        ledger.put("logPath", "/var/log/gitcrq/x-42.log");
        ledger.putAll(source);

        ExecSourceRecord record = new ExecSourceRecord("x-42", "/var/log/gitcrq/x-42.log", exit);

        assertThat(EventCodec.mapper().valueToTree(record).toString())
                .isEqualTo(EventCodec.mapper().valueToTree(ledger).toString());
        assertThat(record.kind()).isEqualTo("process");
    }

    @Test
    void anAttachedTracersSummaryEndsAsExecAuditAnnotatesIt() {
        ProcessSummary summary = new ProcessSummary(
                3,
                3,
                0,
                null,
                null,
                1L,
                1L,
                9L,
                "attached",
                false,
                0L,
                null,
                null,
                null,
                null,
                null,
                "strace",
                null,
                null,
                null);
        Map<String, Object> annotated =
                EventCodec.mapper().convertValue(summary, new TypeReference<LinkedHashMap<String, Object>>() {});
        // ExecAudit.annotate: attachedBecause always, attachedLate only when true
        annotated.put("attachedBecause", "strace 5.2 has no --seccomp-bpf");
        annotated.put("attachedLate", true);
        annotated.put("mechanism", annotated.remove("mechanism")); // the record's fields after these

        assertThat(EventCodec.mapper()
                        .valueToTree(summary.attached("strace 5.2 has no --seccomp-bpf", true))
                        .toString())
                .isEqualTo(EventCodec.mapper().valueToTree(annotated).toString());
        assertThat(EventCodec.mapper().valueToTree(summary.attached("x", false)).has("attachedLate"))
                .isFalse();
    }
}
