package io.gitcrq.audit.repository;

import io.gitcrq.audit.domain.AuditEvent;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, String> {

    /** Newest first; the event id breaks ties so that paging is stable. */
    private static final Sort NEWEST_FIRST = Sort.descending("occurredAt").and("eventId", Sort.Direction.Ascending);

    public record Found(List<AuditEvent> items, long total) {
    }

    /**
     * Stores an event unless its id is already there, and says whether it did. The insert itself is the
     * dedupe, so two deliveries of one event racing each other still leave exactly one row.
     */
    public boolean insertOnce(String eventId, String host, String crqId, String kind, Instant occurredAt,
                              String payloadJson, String source) {
        return getEntityManager().createNativeQuery("INSERT INTO audit_event "
                        + "(event_id, host, crq_id, kind, occurred_at, payload, source) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), ?7) ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId)
                .setParameter(2, host)
                .setParameter(3, crqId)
                .setParameter(4, kind)
                .setParameter(5, occurredAt.atOffset(ZoneOffset.UTC))
                .setParameter(6, payloadJson)
                .setParameter(7, source)
                .executeUpdate() == 1;
    }

    public Optional<AuditEvent> byEventId(String eventId) {
        return findByIdOptional(eventId);
    }

    public Found search(AuditFilter filter, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (filter.crqId() != null) {
            query.append(" and crqId = :crqId");
            params = params.and("crqId", filter.crqId());
        }
        if (filter.host() != null) {
            query.append(" and host = :host");
            params = params.and("host", filter.host());
        }
        if (filter.kind() != null) {
            query.append(" and kind = :kind");
            params = params.and("kind", filter.kind());
        }
        if (filter.from() != null) {
            query.append(" and occurredAt >= :from");
            params = params.and("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and occurredAt < :to");
            params = params.and("to", filter.to());
        }
        PanacheQuery<AuditEvent> found = find(query.toString(), NEWEST_FIRST, params);
        return new Found(found.page(Page.of(page, size)).list(), found.count());
    }
}
