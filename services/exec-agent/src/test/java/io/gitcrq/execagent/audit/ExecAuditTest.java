package io.gitcrq.execagent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.domain.AuditSelection;
import io.gitcrq.execagent.tmux.ManagedCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an exec's audit asks of its command, and what it adds to its tracer's summary, with and without follow. */
class ExecAuditTest {

    private static final AuditContext CONTEXT = new AuditContext("exec-1", "host", "CRQ-1", "/logs/exec-1.log");
    private static final AuditSelection PROCESS = new AuditSelection(List.of("process", "file"), List.of());
    private static final ManagedCommand COMMAND = ManagedCommand.in(Path.of("/nonexistent/logs"), "exec-1");

    @Test
    void whereStraceCanFollowTheCommandItNeitherWaitsNorIsTheSummaryAnnotated() {
        ExecAudit audit = new ExecAudit(CONTEXT, PROCESS, COMMAND, Duration.ofSeconds(10), null);
        assertThat(audit.attachWait()).isNull();
        assertThat(audit.tracer()).isEmpty(); // until its following source started
        AuditRecord summary = AuditRecord.of("process.summary", Map.of("mode", "followed"));
        assertThat(audit.annotate(summary)).isSameAs(summary);
    }

    @Test
    void whereItCannotTheTracerAttachesTheCommandWaitsForItAndItsSummarySaysWhy() {
        ExecAudit audit = new ExecAudit(CONTEXT, PROCESS, COMMAND, Duration.ofSeconds(10), "no --seccomp-bpf");
        assertThat(audit.attachWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(audit.tracer()).isEmpty();
        assertThat(audit.annotate(AuditRecord.of("process.summary", Map.of("mode", "attached")))
                        .payload())
                .containsEntry(AuditLedger.ATTACHED_BECAUSE, "no --seccomp-bpf")
                .containsEntry("mode", "attached");
        AuditRecord file = AuditRecord.of("file.summary", Map.of());
        assertThat(audit.annotate(file)).isSameAs(file);
    }

    @Test
    void anExecTracingNothingNeverWaits() {
        ExecAudit audit = new ExecAudit(
                CONTEXT,
                new AuditSelection(List.of("file"), List.of()),
                COMMAND,
                Duration.ofSeconds(10),
                "no --seccomp-bpf");
        assertThat(audit.attachWait()).isNull();
    }
}
