package io.gitcrq.execagent.repository;

import io.gitcrq.execagent.domain.AuditSourceState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit sources of each exec and their counters ({@code exec_audit_source}), by kind. */
@ApplicationScoped
public class ExecAuditRepository {

    private final EntityManager em;

    public ExecAuditRepository(EntityManager em) {
        this.em = em;
    }

    public void started(String execId, String kind) {
        upsert(execId, kind, new AuditSourceState(AuditSourceState.RUNNING, null, null, null), false);
    }

    public void failed(String execId, String kind, String reason) {
        upsert(execId, kind, new AuditSourceState(AuditSourceState.FAILED, null, null, reason), true);
    }

    /** The source's summary: its final counters, and what it noted (null: nothing). */
    public void stopped(String execId, String kind, long captured, long dropped, String note) {
        upsert(execId, kind, new AuditSourceState(AuditSourceState.STOPPED, captured, dropped, note), true);
    }

    /** Sources still RUNNING for an exec the agent lost (it restarted): FAILED, with why. */
    public void interrupted(String execId, String reason) {
        em.createNativeQuery("UPDATE exec_audit_source SET status = ?1, reason = ?2 WHERE exec_id = ?3 AND status = ?4")
                .setParameter(1, AuditSourceState.FAILED)
                .setParameter(2, reason)
                .setParameter(3, execId)
                .setParameter(4, AuditSourceState.RUNNING)
                .executeUpdate();
    }

    private void upsert(String execId, String kind, AuditSourceState state, boolean replace) {
        String onConflict = replace
                ? "UPDATE SET status = EXCLUDED.status, captured = EXCLUDED.captured, dropped = EXCLUDED.dropped,"
                        + " reason = EXCLUDED.reason"
                : "NOTHING";
        em.createNativeQuery("""
                        INSERT INTO exec_audit_source (exec_id, kind, status, captured, dropped, reason)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        ON CONFLICT (exec_id, kind) DO\s""" + onConflict)
                .setParameter(1, execId)
                .setParameter(2, kind)
                .setParameter(3, state.status())
                .setParameter(4, state.captured())
                .setParameter(5, state.dropped())
                .setParameter(6, state.reason())
                .executeUpdate();
    }

    /** The exec's sources by kind (none: empty). */
    public Map<String, AuditSourceState> of(String execId) {
        return of(List.of(execId)).getOrDefault(execId, Map.of());
    }

    /** The sources of each of these execs, by exec id, then kind. */
    public Map<String, Map<String, AuditSourceState>> of(Collection<String> execIds) {
        Map<String, Map<String, AuditSourceState>> states = new LinkedHashMap<>();
        if (execIds.isEmpty()) {
            return states;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT exec_id, kind, status, captured, dropped, reason FROM exec_audit_source
                        WHERE exec_id IN (?1) ORDER BY exec_id, kind""").setParameter(1, execIds).getResultList();
        for (Object[] row : rows) {
            states.computeIfAbsent((String) row[0], id -> new LinkedHashMap<>())
                    .put((String) row[1], new AuditSourceState((String) row[2], asLong(row[3]), asLong(row[4]), (String)
                            row[5]));
        }
        return states;
    }

    private static Long asLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
