package io.gitcrq.execagent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.model.audit.AuditSourceFailed;
import io.gitcrq.model.audit.ExecSourceRecord;
import io.gitcrq.model.audit.ProcessExec;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What AuditLedger publishes for a source's record: the exec and its log first, secrets masked, as it did from maps. */
class AuditLedgerTest {

    private static final Redactor REDACTOR = Redactor.of(List.of("s3cr3t"), name -> null);
    private static final AuditLedger LEDGER = new AuditLedger(null, null, REDACTOR, null);

    @Test
    void aSourceRecordIsWrittenAsTheMapItWasBuiltFromBeforeMaskedInEveryString() {
        ProcessExec exec =
                new ProcessExec(7, 1L, "/usr/bin/curl", List.of("curl", "-H", "Authorization: s3cr3t"), false, null);
        JsonNode masked = LEDGER.masked(new ExecSourceRecord("x-42", "/logs/x-42.log", exec));

        assertThat(masked.toString()).isEqualTo(asBuiltFromMaps(exec).toString());
        assertThat(masked.toString())
                .doesNotContain("s3cr3t")
                .startsWith("{\"execId\":\"x-42\",\"logPath\":\"/logs/x-42.log\",\"event\":\"exec\",\"pid\":7,");
        assertThat(masked.get("args").get(2).asText()).isEqualTo("Authorization: ***");
        assertThat(masked.get("cwd").isNull()).isTrue();
    }

    @Test
    void anAnnotatedSummaryAndAFailedSourceAreWrittenAsBefore() {
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
                        null)
                .attached("no --seccomp-bpf in s3cr3t", true);
        assertThat(LEDGER.masked(new ExecSourceRecord("x-42", "/logs/x-42.log", summary))
                        .toString())
                .isEqualTo(asBuiltFromMaps(summary).toString())
                .endsWith(
                        "\"attachedBecause\":\"no --seccomp-bpf in ***\",\"attachedLate\":true,\"mechanism\":\"strace\"}");

        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("execId", "x-42");
        failed.put("logPath", "/logs/x-42.log");
        failed.put("source", "network");
        failed.put("reason", "no tcpdump");
        assertThat(LEDGER.masked(new AuditSourceFailed("x-42", "/logs/x-42.log", "network", "no tcpdump")))
                .isEqualTo(EventCodec.mapper().valueToTree(failed));
    }

    /** AuditLedger.event as it was: execId and logPath, then the source's payload map, all masked. */
    private static JsonNode asBuiltFromMaps(io.gitcrq.model.audit.AuditPayload typed) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("execId", "x-42");
        payload.put("logPath", "/logs/x-42.log");
        payload.putAll(AuditRecord.of(typed).payload());
        return EventCodec.mapper().valueToTree(REDACTOR.maskAll(payload));
    }
}
