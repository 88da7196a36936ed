package io.gitcrq.audit.repository;

import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.Session;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, String> {

    /** Newest first; the event id breaks ties so that paging is stable. */
    private static final Sort NEWEST_FIRST = Sort.descending("occurredAt").and("eventId", Sort.Direction.Ascending);

    public record Found(List<AuditEvent> items, long total) {}

    /**
     * Makes the current transaction (before its first query) one read-only snapshot: rows appended or deleted
     * meanwhile are not half seen by what it reads.
     */
    public void readOnlySnapshot() {
        getEntityManager()
                .createNativeQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .executeUpdate();
    }

    /** Drops the events loaded so far from the session: for reads that go through many rows once. */
    public void forgetLoaded() {
        getEntityManager().clear();
    }

    /**
     * Stores an event as link {@code sequence} of its host's chain unless its id is already there, and says
     * whether it did. The insert itself is the dedupe, so two deliveries of one event racing each other still
     * leave exactly one row; only the event id may conflict (a clash on the host's sequence is an error, never
     * a silently dropped event).
     */
    public boolean insertChained(NewAuditEvent e, long sequence, String prevHash, String hash) {
        return getEntityManager()
                        .createNativeQuery(
                                "INSERT INTO audit_event (event_id, host, crq_id, kind, occurred_at, payload,"
                                        + " source, sequence, prev_hash, hash, host_seq, key_id, signature, batch_first_seq,"
                                        + " batch_size, batch_proof) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), ?7, ?8,"
                                        + " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (event_id) DO NOTHING")
                        .setParameter(1, e.eventId())
                        .setParameter(2, e.host())
                        .setParameter(3, e.crqId())
                        .setParameter(4, e.kind())
                        .setParameter(5, e.occurredAt().atOffset(ZoneOffset.UTC))
                        .setParameter(6, e.payloadJson())
                        .setParameter(7, e.source())
                        .setParameter(8, sequence)
                        .setParameter(9, prevHash)
                        .setParameter(10, hash)
                        .setParameter(11, e.hostSeq())
                        .setParameter(12, e.keyId())
                        .setParameter(13, e.signature())
                        .setParameter(14, e.batchFirstSeq())
                        .setParameter(15, e.batchSize())
                        .setParameter(16, e.batchProofJson())
                        .executeUpdate()
                == 1;
    }

    /** An event with its place in its host's chain, ready to be stored. */
    public record ChainedRow(NewAuditEvent event, long sequence, String prevHash, String hash) {}

    /** Which of these event ids are stored already. */
    public Set<String> storedIds(Collection<String> eventIds) {
        Set<String> stored = new HashSet<>();
        if (eventIds.isEmpty()) {
            return stored;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT event_id FROM audit_event WHERE event_id = ANY (?)")) {
                Array ids = connection.createArrayOf("text", eventIds.toArray());
                query.setArray(1, ids);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
                ids.free();
            }
        });
        return stored;
    }

    private static final String COPY_CHAINED = "COPY audit_event (event_id, host, crq_id, kind, occurred_at, payload,"
            + " source, sequence, prev_hash, hash, host_seq, key_id, signature, batch_first_seq, batch_size, batch_proof)"
            + " FROM STDIN";

    /**
     * Stores chained events with one COPY (a poll's events in one statement: PostgreSQL parses and plans once and
     * takes the rows as one stream, where a JDBC batch of inserts executed each row on its own). Unlike
     * {@link #insertChained}, a stored event id is not skipped but fails the batch: the caller has ruled those out
     * under the heads' locks, so a conflict here is something else, and must not leave a hole in a chain.
     */
    public void insertAllChained(List<ChainedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_CHAINED);
            try {
                CopyText copy = new CopyText(copyIn::writeToCopy);
                for (ChainedRow row : rows) {
                    NewAuditEvent e = row.event();
                    copy.value(e.eventId())
                            .value(e.host())
                            .value(e.crqId())
                            .value(e.kind())
                            .value(e.occurredAt().toString())
                            .value(e.payloadJson())
                            .value(e.source())
                            .value(row.sequence())
                            .value(row.prevHash())
                            .value(row.hash())
                            .value(e.hostSeq())
                            .value(e.keyId())
                            .value(e.signature())
                            .value(e.batchFirstSeq())
                            .value(e.batchSize())
                            .value(e.batchProofJson())
                            .endRow();
                }
                copy.finish();
                long copied = copyIn.endCopy();
                if (copied != rows.size()) {
                    throw new SQLException("COPY stored " + copied + " audit rows of " + rows.size());
                }
            } finally {
                if (copyIn.isActive()) {
                    copyIn.cancelCopy(); // a failed row: the connection is left usable, the transaction fails
                }
            }
        });
    }

    /**
     * Which of the host's numbers (of one key) are stored already, each with the event that has it. Asked as ranges of
     * consecutive numbers (a poll's events are a few such runs): {@code host_seq = ANY (...)} was planned as a filter
     * over every row of the host while the table's statistics were older than its rows (a new database, a new host),
     * 26 ms a poll at 20,000 rows and growing; a range is an index condition whatever the statistics say.
     */
    public Map<Long, String> storedHostSeqs(String host, String keyId, Collection<Long> hostSeqs) {
        Map<Long, String> stored = new HashMap<>();
        if (hostSeqs.isEmpty()) {
            return stored;
        }
        long[] numbers =
                hostSeqs.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT host_seq, event_id FROM audit_event"
                    + " WHERE host = ? AND key_id = ? AND host_seq BETWEEN ? AND ?")) {
                query.setString(1, host);
                query.setString(2, keyId);
                int from = 0;
                while (from < numbers.length) {
                    int to = from;
                    while (to + 1 < numbers.length && numbers[to + 1] == numbers[to] + 1) {
                        to++;
                    }
                    query.setLong(3, numbers[from]);
                    query.setLong(4, numbers[to]);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            stored.put(rs.getLong(1), rs.getString(2));
                        }
                    }
                    from = to + 1;
                }
            }
        });
        return stored;
    }

    /** Chains a row stored before chaining existed (see ChainBackfill); false if it was chained meanwhile. */
    public boolean chainStoredRow(String eventId, long sequence, String prevHash, String hash) {
        return getEntityManager()
                        .createNativeQuery("UPDATE audit_event SET sequence = ?2, prev_hash = ?3, hash = ?4 "
                                + "WHERE event_id = ?1 AND sequence IS NULL")
                        .setParameter(1, eventId)
                        .setParameter(2, sequence)
                        .setParameter(3, prevHash)
                        .setParameter(4, hash)
                        .executeUpdate()
                == 1;
    }

    /** Hosts with rows not chained yet. */
    @SuppressWarnings("unchecked")
    public List<String> hostsWithUnchainedRows() {
        return getEntityManager()
                .createNativeQuery("SELECT DISTINCT host FROM audit_event WHERE sequence IS NULL ORDER BY host")
                .getResultList();
    }

    /** Up to {@code limit} unchained rows of a host, in the order they were received. */
    public List<AuditEvent> unchained(String host, int limit) {
        return find("host = ?1 and sequence is null", Sort.by("receivedAt").and("eventId"), host)
                .page(0, limit)
                .list();
    }

    /**
     * A host's chained rows after sequence {@code after} and up to {@code upTo} (null: no limit), in chain
     * order, at most {@code limit} of them.
     */
    public List<AuditEvent> chainPage(String host, long after, Long upTo, int limit) {
        if (upTo == null) {
            return find("host = ?1 and sequence > ?2", Sort.by("sequence"), host, after)
                    .page(0, limit)
                    .list();
        }
        return find("host = ?1 and sequence > ?2 and sequence <= ?3", Sort.by("sequence"), host, after, upTo)
                .page(0, limit)
                .list();
    }

    /** The host's chained event at {@code sequence}. */
    public Optional<AuditEvent> chained(String host, long sequence) {
        return find("host = ?1 and sequence = ?2", host, sequence).firstResultOptional();
    }

    /** The host's event numbered {@code hostSeq} by the host with key {@code keyId}. */
    public Optional<AuditEvent> byHostSeq(String host, String keyId, long hostSeq) {
        return find("host = ?1 and keyId = ?2 and hostSeq = ?3", host, keyId, hostSeq)
                .firstResultOptional();
    }

    /** The lowest sequence of a host's events that occurred at or after {@code instant}; empty if none did. */
    public Optional<Long> firstSequenceFrom(String host, Instant instant) {
        Object min = getEntityManager()
                .createNativeQuery("SELECT min(sequence) FROM audit_event WHERE host = ?1 AND occurred_at >= ?2")
                .setParameter(1, host)
                .setParameter(2, instant.atOffset(ZoneOffset.UTC))
                .getSingleResult();
        return Optional.ofNullable(min).map(n -> ((Number) n).longValue());
    }

    /** Deletes the start of a host's chain, up to and including {@code sequence}; the number of rows deleted. */
    public int deleteChainUpTo(String host, long sequence) {
        return getEntityManager()
                .createNativeQuery("DELETE FROM audit_event WHERE host = ?1 AND sequence <= ?2")
                .setParameter(1, host)
                .setParameter(2, sequence)
                .executeUpdate();
    }

    /**
     * One page of an export: chained events matching the filter, ordered by host then sequence, after the
     * position ({@code afterHost}, {@code afterSequence}) of the previous page (null host: from the start).
     */
    public List<AuditEvent> exportPage(AuditFilter filter, String afterHost, long afterSequence, int limit) {
        StringBuilder query = new StringBuilder("sequence is not null");
        Map<String, Object> params = new HashMap<>();
        if (afterHost != null) {
            query.append(" and (host > :afterHost or (host = :afterHost and sequence > :afterSequence))");
            params.put("afterHost", afterHost);
            params.put("afterSequence", afterSequence);
        }
        matching(filter, query, params);
        return find(query.toString(), Sort.by("host").and("sequence"), params)
                .page(0, limit)
                .list();
    }

    /** Appends the filter's conditions to {@code query} (fixed fragments; the values are bound) and binds them. */
    private static void matching(AuditFilter filter, StringBuilder query, Map<String, Object> params) {
        if (filter.crqId() != null) {
            query.append(" and crqId = :crqId");
            params.put("crqId", filter.crqId());
        }
        if (filter.host() != null) {
            query.append(" and host = :host");
            params.put("host", filter.host());
        }
        if (filter.kind() != null) {
            query.append(" and kind = :kind");
            params.put("kind", filter.kind());
        }
        if (filter.repo() != null) {
            query.append(" and repo = :repo");
            params.put("repo", filter.repo());
        }
        if (filter.from() != null) {
            query.append(" and occurredAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and occurredAt < :to");
            params.put("to", filter.to());
        }
    }

    public Optional<AuditEvent> byEventId(String eventId) {
        return findByIdOptional(eventId);
    }

    public Found search(AuditFilter filter, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        matching(filter, query, params);
        PanacheQuery<AuditEvent> found = find(query.toString(), NEWEST_FIRST, params);
        return new Found(found.page(Page.of(page, size)).list(), found.count());
    }
}
