package io.gitcrq.model.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire form of audit-collector's API records, field by field: the CLI reads what audit-collector writes with
 * these records, so a renamed or retyped field must show here as a changed test.
 */
class AuditApiWireTest {

    private static final Instant AT = Instant.parse("2025-03-01T09:00:00.25Z");

    @Test
    void anAuditPage() throws Exception {
        JsonNode payload = EventCodec.mapper().readTree("{\"command\":\"mvn test\",\"exitCode\":0}");
        assertWire(
                new AuditPage(
                        List.of(new AuditEventView("ev-1", "build-01", "CRQ-3", "exec", AT, payload, 1L, "p", "h")),
                        0,
                        50,
                        1),
                """
                {"items":[{"eventId":"ev-1","host":"build-01","crqId":"CRQ-3","kind":"exec",
                  "occurredAt":"2025-03-01T09:00:00.250Z","payload":{"command":"mvn test","exitCode":0},
                  "sequence":1,"prevHash":"p","hash":"h"}],"page":0,"size":50,"total":1}""");
    }

    @Test
    void aTimelinePage() throws Exception {
        assertWire(
                new TimelinePage(
                        "CRQ-3", List.of(new TimelineEntry(AT, "git", "CommitPushed", "pushed", "e-1")), 0, 500, 1),
                """
                {"crqId":"CRQ-3","entries":[{"at":"2025-03-01T09:00:00.250Z","source":"git","type":"CommitPushed",
                  "summary":"pushed","eventId":"e-1"}],"page":0,"size":500,"total":1}""");
    }

    @Test
    void verificationsLeaveOutWhatDoesNotApply() throws Exception {
        assertWire(ChainVerification.intact("build-01", 20, 23, "a", null, null), """
                {"ok":true,"host":"build-01","verified":20,"lastSequence":23,"lastHash":"a"}""");
        assertWire(
                ChainVerification.broken("laptop", 1, 2L, null, "a", null, ChainVerification.ROW_MISSING, "gone"), """
                {"ok":false,"host":"laptop","verified":1,"sequence":2,"expectedHash":"a","reason":"row missing",
                 "detail":"gone"}""");
        assertWire(ChainVerification.allIntact(List.of(ChainVerification.intact("h", 2, 2, "a", 1L, "c"))), """
                {"ok":true,"verified":2,"hosts":[{"ok":true,"host":"h","verified":2,"lastSequence":2,"lastHash":"a",
                 "checkpointSequence":1,"checkpointHash":"c"}]}""");
    }

    private static void assertWire(Object record, String expected) throws Exception {
        JsonNode written = EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(record));
        assertThat(written).isEqualTo(EventCodec.mapper().readTree(expected));
        assertThat(EventCodec.mapper().treeToValue(written, record.getClass())).isEqualTo(record);
    }
}
