package io.gitcrq.audit.repository;

import io.gitcrq.kit.db.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of CRQ timelines: {@code timeline_entry} (Git, CRQ, merge and exec events, filed by CRQ) merged in time
 * order with the CRQ's audit events.
 */
@ApplicationScoped
public class TimelineRepository {

    /**
     * One row of a timeline. An entry of {@code timeline_entry} has its summary; an audit event has none but its
     * kind, host and payload (JSON text), which the summary is made of.
     */
    public record Row(
            Instant at,
            String source,
            String type,
            String summary,
            String eventId,
            String kind,
            String host,
            String payload) {}

    private final EntityManager em;

    public TimelineRepository(EntityManager em) {
        this.em = em;
    }

    /** Files an entry under a CRQ; 0 when that event is filed under that CRQ already. */
    public int insert(String crqId, String eventId, Instant occurredAt, String source, String type, String summary) {
        return em.createNativeQuery("INSERT INTO timeline_entry (event_id, crq_id, occurred_at, source, type, summary) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id, crq_id) DO NOTHING")
                .setParameter(1, eventId)
                .setParameter(2, crqId)
                .setParameter(3, occurredAt.atOffset(ZoneOffset.UTC))
                .setParameter(4, source)
                .setParameter(5, type)
                .setParameter(6, summary)
                .executeUpdate();
    }

    /** The CRQ's audit events and timeline entries together. */
    public long count(String crqId) {
        return ((Number) em.createNativeQuery("SELECT (SELECT count(*) FROM audit_event WHERE crq_id = ?1) "
                                + "+ (SELECT count(*) FROM timeline_entry WHERE crq_id = ?1)")
                        .setParameter(1, crqId)
                        .getSingleResult())
                .longValue();
    }

    /** A page of the CRQ's rows, oldest first (ties by event id). */
    @SuppressWarnings("unchecked")
    public List<Row> page(String crqId, int page, int size) {
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
        List<Row> found = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            found.add(new Row(
                    SqlTimes.instant(row[0]),
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    (String) row[4],
                    (String) row[5],
                    (String) row[6],
                    (String) row[7]));
        }
        return found;
    }
}
