package io.gitcrq.execagent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.domain.AuditSelection;
import io.gitcrq.execagent.tmux.ManagedCommand;
import io.gitcrq.model.audit.FileSummary;
import io.gitcrq.model.audit.ProcessSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an exec's audit asks of its command, and what it adds to its tracer's summary, with and without follow. */
class ExecAuditTest {

    private static final AuditContext CONTEXT = new AuditContext("exec-1", "host", "CRQ-1", "/logs/exec-1.log");
    private static final AuditSelection PROCESS = new AuditSelection(List.of("process", "file"), List.of());
    private static final ManagedCommand COMMAND = ManagedCommand.in(Path.of("/nonexistent/logs"), "exec-1");

    @Test
    void whereStraceCanFollowTheCommandItNeitherWaitsNorIsTheSummaryAnnotated() {
        ExecAudit audit = new ExecAudit(CONTEXT, PROCESS, PROCESS.kinds(), COMMAND, Duration.ofSeconds(10), null);
        assertThat(audit.attachWait()).isNull();
        assertThat(audit.tracer()).isEmpty(); // until its following source started
        AuditRecord summary = AuditRecord.of(processSummary("followed"));
        assertThat(audit.annotate(summary)).isSameAs(summary);
    }

    @Test
    void whereItCannotTheTracerAttachesTheCommandWaitsForItAndItsSummarySaysWhy() {
        ExecAudit audit =
                new ExecAudit(CONTEXT, PROCESS, PROCESS.kinds(), COMMAND, Duration.ofSeconds(10), "no --seccomp-bpf");
        assertThat(audit.attachWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(audit.tracer()).isEmpty();
        AuditRecord attached = AuditRecord.of(processSummary("attached"));
        AuditRecord annotated = audit.annotate(attached);
        assertThat(annotated.payload())
                .containsEntry("attachedBecause", "no --seccomp-bpf")
                .containsEntry("mode", "attached")
                .doesNotContainKey("attachedLate");
        assertThat(annotated.typed())
                .isEqualTo(((ProcessSummary) attached.typed()).attached("no --seccomp-bpf", false));
        assertThat(annotated.occurredAt()).isEqualTo(attached.occurredAt());
        AuditRecord file =
                AuditRecord.of(new FileSummary(0, 0, 0, null, null, "inotifywait", 0L, null, null, null, null));
        assertThat(audit.annotate(file)).isSameAs(file);
    }

    @Test
    void whereEbpfCouldNotCaptureTheStraceSummarySaysWhyAndAnEbpfProcessSourceNeverWaits() {
        ExecAudit audit = new ExecAudit(CONTEXT, PROCESS, List.of(), COMMAND, Duration.ofSeconds(10), "no strace");
        assertThat(audit.attachWait()).isNull(); // process captures with eBPF: nothing attaches
        audit.ebpfUnavailable("tracefs is not mounted");
        AuditRecord annotated = audit.annotate(AuditRecord.of(processSummary("followed")));
        assertThat(annotated.payload())
                .containsEntry("mechanism", "strace")
                .containsEntry("ebpfUnavailable", "tracefs is not mounted");
    }

    @Test
    void anExecTracingNothingNeverWaits() {
        ExecAudit audit = new ExecAudit(
                CONTEXT,
                new AuditSelection(List.of("file"), List.of()),
                List.of(),
                COMMAND,
                Duration.ofSeconds(10),
                "no --seccomp-bpf");
        assertThat(audit.attachWait()).isNull();
    }

    /** A process source's summary as the source makes it: typed, in the mode it traced. */
    private static ProcessSummary processSummary(String mode) {
        return new ProcessSummary(
                3, 3, 0, null, null, 1L, 1L, 9L, mode, false, 0L, null, null, null, null, null, "strace", null, null,
                null);
    }
}
