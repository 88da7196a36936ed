package io.gitcrq.execagent.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecAuditRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.AuditSourceFailed;
import io.gitcrq.model.audit.ExecSourceRecord;
import io.gitcrq.model.audit.SourceSummary;
import io.gitcrq.model.audit.TracerSummary;
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
import java.util.TreeMap;

/**
 * Where what audit sources saw becomes {@link AuditCaptured} events (through the outbox, secrets masked) and the
 * state of each exec's sources is kept, in one transaction each time.
 */
@ApplicationScoped
public class AuditLedger {

    private static final TypeReference<LinkedHashMap<String, Object>> JSON_VALUES = new TypeReference<>() {};

    private final ExecAuditRepository sources;
    private final Outbox outbox;
    private final Redactor redactor;
    private final AuditMeasurements measurements;

    public AuditLedger(ExecAuditRepository sources, Outbox outbox, Redactor redactor, AuditMeasurements measurements) {
        this.sources = sources;
        this.outbox = outbox;
        this.redactor = redactor;
        this.measurements = measurements;
    }

    /** A record of one exec's source, as the publisher queues it. */
    public record Captured(AuditContext context, AuditRecord record) {}

    @Transactional
    public void started(String execId, String kind) {
        sources.started(execId, kind);
    }

    /** A source could not start: kept with the reason and audited as {@value AuditSourceFailed#KIND}. */
    @Transactional
    public void failed(AuditContext context, String kind, String reason) {
        String masked = redactor.mask(reason);
        sources.failed(context.execId(), kind, masked);
        AuditSourceFailed payload = new AuditSourceFailed(context.execId(), context.logPath(), kind, masked);
        outbox.publish(event(context, payload.kind(), Instant.now(), payload));
    }

    /**
     * Records as they came, each an event of its kind, all written to the outbox with one statement; a
     * {@code <kind>.summary} also settles the source's counters.
     */
    @Transactional
    public void publish(List<Captured> batch) {
        List<AuditCaptured> events = new ArrayList<>(batch.size());
        Map<String, Integer> published = new TreeMap<>();
        for (Captured c : batch) {
            AuditRecord record = c.record();
            AuditContext context = c.context();
            ExecSourceRecord payload = new ExecSourceRecord(context.execId(), context.logPath(), typed(record));
            events.add(event(context, record.kind(), record.occurredAt(), payload));
            if (payload.record() instanceof SourceSummary summary) {
                String kind = record.kind().substring(0, record.kind().length() - ".summary".length());
                sources.stopped(context.execId(), kind, summary.captured(), summary.dropped(), note(summary));
                measurements.sourceStopped(kind, summary);
            } else {
                published.merge(record.kind(), 1, Integer::sum);
            }
        }
        outbox.publishAll(events);
        published.forEach(measurements::sourceRecords);
    }

    private static AuditPayload typed(AuditRecord record) {
        if (record.typed() == null) {
            // The sources always make typed records, and so does ExecAudit when it annotates one.
            throw new IllegalStateException("audit record " + record.kind() + " has no typed payload");
        }
        return record.typed();
    }

    private AuditCaptured event(AuditContext context, String kind, Instant at, Object payload) {
        return new AuditCaptured(
                context.host(), context.crqId(), kind, at.truncatedTo(ChronoUnit.MICROS), masked(payload));
    }

    /**
     * A payload with its secrets masked, as the JSON tree of its event. The redactor masks JSON-like values (maps,
     * lists, strings), so the payload is converted to those first, as the event codec writes it (its field order,
     * nulls and number types), masked, then made the tree: the one place here a payload is handled as a map.
     */
    JsonNode masked(Object payload) {
        LinkedHashMap<String, Object> values = EventCodec.mapper().convertValue(payload, JSON_VALUES);
        return EventCodec.mapper().valueToTree(redactor.maskAll(values));
    }

    private String note(SourceSummary summary) {
        if (Boolean.TRUE.equals(summary.fellBehind())) {
            return "fell behind: could not read its tool's output to the end at stop, "
                    + summary.droppedBy().getOrDefault(SourceSummary.NOT_DRAINED, 0L)
                    + " events counted but not captured";
        }
        if (summary instanceof TracerSummary tracer) {
            if (Boolean.TRUE.equals(tracer.attachedLate())) {
                return "attached late: the command ran on before its tracer was attached, its first moments"
                        + " are missing";
            }
            if (tracer.attachedBecause() != null) {
                return redactor.mask("attached, every system call of the command's processes stopping, since "
                        + tracer.attachedBecause());
            }
        }
        String error = summary.stopError();
        return error == null ? null : redactor.mask("stopped with an error: " + error);
    }
}
