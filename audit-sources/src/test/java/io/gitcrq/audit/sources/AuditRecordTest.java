package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.model.audit.HttpExchange;
import io.gitcrq.model.audit.SyscallProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The map exec-agent reads from a typed record holds the same Java values the sources used to put. */
class AuditRecordTest {

    @Test
    void theMapOfATypedPayloadKeepsIntegersLongsNullsAndOrder() {
        HttpExchange exchange = new HttpExchange(
                "/127.0.0.1:5", "GET", "http", "h", 80, "/", null, 200, null, 10L, 0L, 20L, 5L, null, null, 3L);
        AuditRecord record = AuditRecord.of(exchange);

        assertThat(record.kind()).isEqualTo("http");
        assertThat(record.typed()).isEqualTo(exchange);
        assertThat(record.payload().keySet())
                .containsExactly(
                        "client",
                        "method",
                        "scheme",
                        "host",
                        "port",
                        "path",
                        "status",
                        "requestBytes",
                        "requestBodyBytes",
                        "responseBytes",
                        "responseBodyBytes",
                        "durationMs");
        assertThat(record.payload().get("port")).isEqualTo(80);
        assertThat(record.payload().get("durationMs")).isEqualTo(3L);

        SyscallProcess process = new SyscallProcess(
                7,
                null,
                null,
                null,
                null,
                "SIGKILL",
                Map.of("connect", 1L),
                Map.of(),
                List.of(),
                0,
                List.of(new SyscallProcess.Connect("connect", "AF_INET", "127.0.0.1", 80, null, "0")),
                0);
        Map<String, Object> payload = AuditRecord.of(process).payload();
        assertThat(payload).containsEntry("pid", 7L).containsEntry("ppid", null).containsEntry("args", null);
        assertThat(payload.get("syscalls")).isEqualTo(Map.of("connect", 1L));
        assertThat(payload.get("connects"))
                .isEqualTo(List.of(Map.of(
                        "syscall", "connect", "family", "AF_INET", "address", "127.0.0.1", "port", 80, "result", "0")));
    }

    @Test
    void aRecordOfAMapAloneHasNoTypedPayloadAndKindsMustAgree() {
        AuditRecord annotated = new AuditRecord("process.summary", java.time.Instant.EPOCH, Map.of("captured", 1L));
        assertThat(annotated.typed()).isNull();
        assertThat(annotated.isSummary()).isTrue();
        HttpExchange exchange = new HttpExchange(
                "c", "GET", null, null, null, null, null, 400, "bad", null, null, null, null, null, null, 0);
        assertThatThrownBy(() -> new AuditRecord("file", java.time.Instant.EPOCH, Map.of(), exchange))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
