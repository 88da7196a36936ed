package io.gitcrq.execagent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecAuditRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where what audit sources saw becomes {@link AuditCaptured} events (through the outbox, secrets masked) and the
 * state of each exec's sources is kept, in one transaction each time.
 */
@ApplicationScoped
public class AuditLedger {

    /** The kind of the event saying a source could not start (the command ran all the same). */
    public static final String KIND_SOURCE_FAILED = "audit-source-failed";
    /** A summary field: the command ran before its tracer attached (see {@code ManagedCommand#attachMissed}). */
    public static final String ATTACHED_LATE = "attachedLate";
    /**
     * A summary field: why a tracer attached to the command ({@code strace -p}, every system call of its tree stopping)
     * rather than followed it from its start under {@code strace --seccomp-bpf}.
     */
    public static final String ATTACHED_BECAUSE = "attachedBecause";

    private final ExecAuditRepository sources;
    private final Outbox outbox;
    private final Redactor redactor;

    public AuditLedger(ExecAuditRepository sources, Outbox outbox, Redactor redactor) {
        this.sources = sources;
        this.outbox = outbox;
        this.redactor = redactor;
    }

    /** A record of one exec's source, as the publisher queues it. */
    public record Captured(AuditContext context, AuditRecord record) {}

    @Transactional
    public void started(String execId, String kind) {
        sources.started(execId, kind);
    }

    /** A source could not start: kept with the reason and audited as {@value #KIND_SOURCE_FAILED}. */
    @Transactional
    public void failed(AuditContext context, String kind, String reason) {
        String masked = redactor.mask(reason);
        sources.failed(context.execId(), kind, masked);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("source", kind);
        payload.put("reason", masked);
        outbox.publish(event(context, KIND_SOURCE_FAILED, Instant.now(), payload));
    }

    /**
     * Records as they came, each an event of its kind, all written to the outbox with one statement; a
     * {@code <kind>.summary} also settles the source's counters.
     */
    @Transactional
    public void publish(List<Captured> batch) {
        List<AuditCaptured> events = new ArrayList<>(batch.size());
        for (Captured c : batch) {
            AuditRecord record = c.record();
            events.add(event(c.context(), record.kind(), record.occurredAt(), record.payload()));
            if (record.isSummary()) {
                Map<String, Object> p = record.payload();
                String kind = record.kind().substring(0, record.kind().length() - ".summary".length());
                sources.stopped(c.context().execId(), kind, count(p.get("captured")), count(p.get("dropped")), note(p));
            }
        }
        outbox.publishAll(events);
    }

    private AuditCaptured event(AuditContext context, String kind, Instant at, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("execId", context.execId());
        payload.put("logPath", context.logPath());
        payload.putAll(fields);
        JsonNode json = EventCodec.mapper().valueToTree(redactor.maskAll(payload));
        return new AuditCaptured(context.host(), context.crqId(), kind, at.truncatedTo(ChronoUnit.MICROS), json);
    }

    private static long count(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private String note(Map<String, Object> summary) {
        if (Boolean.TRUE.equals(summary.get(ATTACHED_LATE))) {
            return "attached late: the command ran on before its tracer was attached, its first moments are missing";
        }
        if (summary.get(ATTACHED_BECAUSE) != null) {
            return redactor.mask("attached, every system call of the command's processes stopping, since "
                    + summary.get(ATTACHED_BECAUSE));
        }
        Object error = summary.get("stopError");
        return error == null ? null : redactor.mask("stopped with an error: " + error);
    }
}
