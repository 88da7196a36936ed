package io.gitcrq.audit.timeline;

import io.gitcrq.audit.chain.Canonical;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * CRQ timelines: the CRQ's Git, CRQ, merge and exec events (kept in {@code timeline_entry} as they are
 * consumed from their topics) merged in time order with its audit events.
 */
@ApplicationScoped
public class Timeline {

    private static final Logger LOG = Logger.getLogger(Timeline.class);

    /** One page of a timeline, oldest first, with the number of entries over all pages. */
    public record Page(String crqId, List<TimelineEntry> entries, int page, int size, long total) {}

    private final EntityManager em;

    public Timeline(EntityManager em) {
        this.em = em;
    }

    /**
     * Files a record of a Git, CRQ, merge or exec topic under the CRQs it names. A record that is no readable
     * event throws (the channel dead-letters it); an event of an unknown type, or about no CRQ, adds nothing.
     * Each entry is keyed by event id and CRQ, so a redelivery adds nothing either.
     */
    @Transactional
    public int consume(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data == null) {
            LOG.debugf("skipping %s event %s: unknown type", envelope.type(), envelope.id());
            return 0;
        }
        int added = 0;
        for (TimelineEntries.ForCrq entry : TimelineEntries.of(envelope, data, Instant.now())) {
            added += em.createNativeQuery(
                            "INSERT INTO timeline_entry (event_id, crq_id, occurred_at, source, type, summary) "
                                    + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id, crq_id) DO NOTHING")
                    .setParameter(1, entry.entry().eventId())
                    .setParameter(2, entry.crqId())
                    .setParameter(3, entry.entry().at().atOffset(ZoneOffset.UTC))
                    .setParameter(4, entry.entry().source())
                    .setParameter(5, entry.entry().type())
                    .setParameter(6, entry.entry().summary())
                    .executeUpdate();
        }
        return added;
    }

    /** A page of the CRQ's timeline, oldest first (ties by event id); total 0 when nothing is known of it. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Page of(String crqId, int page, int size) {
        long total = ((Number) em.createNativeQuery("SELECT (SELECT count(*) FROM audit_event WHERE crq_id = ?1) "
                                + "+ (SELECT count(*) FROM timeline_entry WHERE crq_id = ?1)")
                        .setParameter(1, crqId)
                        .getSingleResult())
                .longValue();
        List<TimelineEntry> entries = new ArrayList<>();
        if (total > 0) {
            List<Object[]> rows = em.createNativeQuery(
                            "SELECT occurred_at, source, type, summary, event_id, kind, host, payload FROM ("
                                    + " SELECT occurred_at, 'audit' AS source, 'AuditCaptured' AS type, NULL AS summary,"
                                    + "  event_id, kind, host, payload::text AS payload FROM audit_event WHERE crq_id = ?1"
                                    + " UNION ALL"
                                    + " SELECT occurred_at, source, type, summary, event_id, NULL, NULL, NULL"
                                    + "  FROM timeline_entry WHERE crq_id = ?1) merged"
                                    + " ORDER BY occurred_at, event_id LIMIT ?2 OFFSET ?3")
                    .setParameter(1, crqId)
                    .setParameter(2, size)
                    .setParameter(3, (long) page * size)
                    .getResultList();
            for (Object[] row : rows) {
                String source = (String) row[1];
                String summary = TimelineEntries.AUDIT.equals(source)
                        ? TimelineEntries.auditSummary(
                                (String) row[5], (String) row[6], Canonical.parse((String) row[7]))
                        : (String) row[3];
                entries.add(
                        new TimelineEntry(SqlTimes.instant(row[0]), source, (String) row[2], summary, (String) row[4]));
            }
        }
        return new Page(crqId, entries, page, size, total);
    }
}
