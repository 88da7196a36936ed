package io.gitcrq.execagent.repository;

import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ExecRepository implements PanacheRepositoryBase<ManagedExec, String> {

    /**
     * What a new row says; cwd and logPath are null for a request refused before it got that far; timeoutMs,
     * workflowRunId and workflowStep are set for workflow steps only; keepPane, whether its window stays open once the
     * command ended.
     */
    public record NewExec(
            String execId,
            String host,
            String session,
            String pane,
            String command,
            String crqId,
            String branch,
            String cwd,
            String requestedBy,
            String logPath,
            Instant startedAt,
            Long timeoutMs,
            String workflowRunId,
            String workflowStep,
            String profile,
            String recordingsDir,
            boolean keepPane) {

        public NewExec(
                String execId,
                String host,
                String session,
                String pane,
                String command,
                String crqId,
                String branch,
                String cwd,
                String requestedBy,
                String logPath,
                Instant startedAt) {
            this(
                    execId,
                    host,
                    session,
                    pane,
                    command,
                    crqId,
                    branch,
                    cwd,
                    requestedBy,
                    logPath,
                    startedAt,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false);
        }
    }

    /**
     * Inserts a RUNNING row unless its pane already runs one (or the id is taken): {@code false} then. A plain
     * insert would fail the whole transaction on the unique index, including a Kafka handler's inbox mark;
     * {@code ON CONFLICT DO NOTHING} lets the caller refuse instead.
     */
    public boolean insertRunning(NewExec exec) {
        return insert(exec, ExecStatus.RUNNING, null) == 1;
    }

    /** Records a request that was refused: FAILED from the start, with the reason. */
    public void insertRefused(NewExec exec, String reason) {
        insert(exec, ExecStatus.FAILED, reason);
    }

    private int insert(NewExec e, ExecStatus status, String reason) {
        return getEntityManager()
                .createNativeQuery("""
                        INSERT INTO managed_exec (exec_id, host, session, pane, command, crq_id, branch, cwd,
                            requested_by, status, reason, log_path, started_at, ended_at, timeout_ms, workflow_run_id,
                            workflow_step, profile, recordings_dir, keep_pane)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                            ?20)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, e.execId())
                .setParameter(2, e.host())
                .setParameter(3, e.session())
                .setParameter(4, e.pane())
                .setParameter(5, e.command())
                .setParameter(6, e.crqId())
                .setParameter(7, e.branch())
                .setParameter(8, e.cwd())
                .setParameter(9, e.requestedBy())
                .setParameter(10, status.name())
                .setParameter(11, reason)
                .setParameter(12, e.logPath())
                .setParameter(13, e.startedAt())
                .setParameter(14, status == ExecStatus.RUNNING ? null : e.startedAt())
                .setParameter(15, e.timeoutMs())
                .setParameter(16, e.workflowRunId())
                .setParameter(17, e.workflowStep())
                .setParameter(18, e.profile())
                .setParameter(19, e.recordingsDir())
                .setParameter(20, e.keepPane())
                .executeUpdate();
    }

    /**
     * Notes that the exec is being handed to tmux, unless it ended meanwhile: {@code false} then, and it must not
     * start.
     */
    public boolean markLaunched(String execId, Instant at) {
        return update(
                        "launchedAt = ?1 where execId = ?2 and status = ?3 and launchedAt is null",
                        at,
                        execId,
                        ExecStatus.RUNNING)
                == 1;
    }

    public Optional<ManagedExec> byId(String execId) {
        return findByIdOptional(execId);
    }

    /** The row, locked until the transaction ends: completion and recovery never finish one exec twice. */
    public Optional<ManagedExec> lockedById(String execId) {
        return findByIdOptional(execId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<ManagedExec> runningIn(String host, String session, String pane) {
        return find("host = ?1 and session = ?2 and pane = ?3 and status = ?4", host, session, pane, ExecStatus.RUNNING)
                .firstResultOptional();
    }

    public List<ManagedExec> running(String host) {
        return list("host = ?1 and status = ?2", Sort.ascending("startedAt").and("execId"), host, ExecStatus.RUNNING);
    }

    public List<ManagedExec> ofCrq(String crqId) {
        return ofCrq(crqId, null);
    }

    /** A CRQ's execs, oldest first; only those in {@code status} unless it is null. */
    public List<ManagedExec> ofCrq(String crqId, ExecStatus status) {
        Sort order = Sort.ascending("startedAt").and("execId");
        return status == null ? list("crqId", order, crqId) : list("crqId = ?1 and status = ?2", order, crqId, status);
    }

    public List<ManagedExec> latest(int count) {
        return latest(null, count);
    }

    /** The {@code count} latest execs, newest first; only those in {@code status} unless it is null. */
    public List<ManagedExec> latest(ExecStatus status, int count) {
        Sort order = Sort.descending("startedAt").and("execId");
        return (status == null ? findAll(order) : find("status", order, status))
                .page(Page.ofSize(count))
                .list();
    }

    /** How many execs this database holds, per status (every status, 0 for none). */
    public java.util.Map<ExecStatus, Long> countByStatus() {
        java.util.Map<ExecStatus, Long> counts = new java.util.EnumMap<>(ExecStatus.class);
        for (ExecStatus status : ExecStatus.values()) {
            counts.put(status, 0L);
        }
        getEntityManager()
                .createQuery("SELECT e.status, count(e) FROM ManagedExec e GROUP BY e.status", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((ExecStatus) row[0], ((Number) row[1]).longValue()));
        return counts;
    }
}
