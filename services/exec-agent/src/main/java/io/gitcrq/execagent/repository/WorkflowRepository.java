package io.gitcrq.execagent.repository;

import static io.gitcrq.kit.db.SqlTimes.instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The workflow_run, workflow_job and workflow_step tables (V4). Rows are written with upserts: the engine's
 * listener reports job runs and steps as they start and end, and the run's result settles them all once more at the
 * end, whatever the listener managed to write. JSON values (matrix, outputs) are text. Callers hold a transaction.
 */
@ApplicationScoped
public class WorkflowRepository {

    /** A run as it starts; {@code repo}, {@code ref} and {@code commitId} only for a file read from a commit. */
    public record NewRun(
            String runId,
            String host,
            String crqId,
            String name,
            String source,
            String session,
            String workspace,
            String requestedBy,
            Instant startedAt,
            String repo,
            String ref,
            String commitId) {}

    /** A run's row as read back. */
    public record RunRow(
            String runId,
            String host,
            String crqId,
            String name,
            String source,
            String session,
            String workspace,
            String directory,
            String requestedBy,
            String status,
            String error,
            Instant startedAt,
            Instant finishedAt,
            String repo,
            String ref,
            String commitId,
            String cancelledBy) {}

    /** A job run's row; {@code position} null keeps the one it has (or takes {@code fallbackPosition} if new). */
    public record JobRow(
            String runId,
            String jobId,
            String name,
            Integer position,
            int fallbackPosition,
            String matrix,
            String status,
            String outcome,
            String outputs,
            String error,
            Instant startedAt,
            Instant finishedAt) {}

    /** A step's row; a null execId or logPath keeps the one it has. */
    public record StepRow(
            String runId,
            String jobId,
            String jobName,
            int index,
            String stepId,
            String name,
            String status,
            String outcome,
            Integer exitCode,
            boolean timedOut,
            String outputs,
            String error,
            String execId,
            String logPath,
            Instant startedAt,
            Instant finishedAt) {}

    private final EntityManager em;

    public WorkflowRepository(EntityManager em) {
        this.em = em;
    }

    public void insertRun(NewRun run) {
        em.createNativeQuery("""
                        INSERT INTO workflow_run (run_id, host, crq_id, name, source, session, workspace, requested_by,
                            status, started_at, repo, ref, commit_id)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'RUNNING', ?9, ?10, ?11, ?12)""")
                .setParameter(1, run.runId())
                .setParameter(2, run.host())
                .setParameter(3, run.crqId())
                .setParameter(4, run.name())
                .setParameter(5, run.source())
                .setParameter(6, run.session())
                .setParameter(7, run.workspace())
                .setParameter(8, run.requestedBy())
                .setParameter(9, run.startedAt())
                .setParameter(10, run.repo())
                .setParameter(11, run.ref())
                .setParameter(12, run.commitId())
                .executeUpdate();
    }

    /** Records who cancelled a run still RUNNING and not cancelled yet; false otherwise. */
    public boolean cancelRun(String runId, String user) {
        return em.createNativeQuery("""
                        UPDATE workflow_run SET cancelled_by = ?2
                        WHERE run_id = ?1 AND status = 'RUNNING' AND cancelled_by IS NULL""")
                        .setParameter(1, runId)
                        .setParameter(2, user)
                        .executeUpdate()
                == 1;
    }

    /** Ends a run still RUNNING; false if it had ended already. */
    public boolean endRun(String runId, String status, String error, String directory, Instant finishedAt) {
        return em.createNativeQuery("""
                        UPDATE workflow_run SET status = ?2, error = ?3, directory = COALESCE(?4, directory),
                            finished_at = ?5
                        WHERE run_id = ?1 AND status = 'RUNNING'""")
                        .setParameter(1, runId)
                        .setParameter(2, status)
                        .setParameter(3, error)
                        .setParameter(4, directory)
                        .setParameter(5, finishedAt)
                        .executeUpdate()
                == 1;
    }

    /** A job run started: RUNNING, unless a row for it is there already. */
    public void insertJob(JobRow job) {
        em.createNativeQuery("""
                        INSERT INTO workflow_job (run_id, job_id, name, position, matrix, status, started_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, job.runId())
                .setParameter(2, job.jobId())
                .setParameter(3, job.name())
                .setParameter(4, job.position() == null ? job.fallbackPosition() : job.position())
                .setParameter(5, job.matrix())
                .setParameter(6, job.status())
                .setParameter(7, job.startedAt())
                .executeUpdate();
    }

    public void upsertJob(JobRow job) {
        em.createNativeQuery("""
                        INSERT INTO workflow_job (run_id, job_id, name, position, matrix, status, outcome, outputs,
                            error, started_at, finished_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                        ON CONFLICT (run_id, job_id, name) DO UPDATE SET
                            position = CASE WHEN ?12 THEN EXCLUDED.position ELSE workflow_job.position END,
                            matrix = EXCLUDED.matrix, status = EXCLUDED.status, outcome = EXCLUDED.outcome,
                            outputs = EXCLUDED.outputs, error = EXCLUDED.error, started_at = EXCLUDED.started_at,
                            finished_at = EXCLUDED.finished_at""")
                .setParameter(1, job.runId())
                .setParameter(2, job.jobId())
                .setParameter(3, job.name())
                .setParameter(4, job.position() == null ? job.fallbackPosition() : job.position())
                .setParameter(5, job.matrix())
                .setParameter(6, job.status())
                .setParameter(7, job.outcome())
                .setParameter(8, job.outputs())
                .setParameter(9, job.error())
                .setParameter(10, job.startedAt())
                .setParameter(11, job.finishedAt())
                .setParameter(12, job.position() != null)
                .executeUpdate();
    }

    public void upsertStep(StepRow step) {
        em.createNativeQuery("""
                        INSERT INTO workflow_step (run_id, job_id, job_name, step_index, step_id, name, status, outcome,
                            exit_code, timed_out, outputs, error, exec_id, log_path, started_at, finished_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                        ON CONFLICT (run_id, job_id, job_name, step_index) DO UPDATE SET
                            step_id = EXCLUDED.step_id, name = EXCLUDED.name, status = EXCLUDED.status,
                            outcome = EXCLUDED.outcome, exit_code = EXCLUDED.exit_code, timed_out = EXCLUDED.timed_out,
                            outputs = EXCLUDED.outputs, error = EXCLUDED.error,
                            exec_id = COALESCE(EXCLUDED.exec_id, workflow_step.exec_id),
                            log_path = COALESCE(EXCLUDED.log_path, workflow_step.log_path),
                            started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at""")
                .setParameter(1, step.runId())
                .setParameter(2, step.jobId())
                .setParameter(3, step.jobName())
                .setParameter(4, step.index())
                .setParameter(5, step.stepId())
                .setParameter(6, step.name())
                .setParameter(7, step.status())
                .setParameter(8, step.outcome())
                .setParameter(9, step.exitCode())
                .setParameter(10, step.timedOut())
                .setParameter(11, step.outputs())
                .setParameter(12, step.error())
                .setParameter(13, step.execId())
                .setParameter(14, step.logPath())
                .setParameter(15, step.startedAt())
                .setParameter(16, step.finishedAt())
                .executeUpdate();
    }

    /** The exec that runs a step (its row was inserted when the step started). */
    public void setStepExec(String runId, String jobId, String jobName, int index, String execId, String logPath) {
        em.createNativeQuery("""
                        UPDATE workflow_step SET exec_id = ?5, log_path = ?6
                        WHERE run_id = ?1 AND job_id = ?2 AND job_name = ?3 AND step_index = ?4""")
                .setParameter(1, runId)
                .setParameter(2, jobId)
                .setParameter(3, jobName)
                .setParameter(4, index)
                .setParameter(5, execId)
                .setParameter(6, logPath)
                .executeUpdate();
    }

    /** What is still RUNNING of a run that will never end by itself: ended FAILURE with {@code error}. */
    public void abandon(String runId, String error, Instant at) {
        em.createNativeQuery("""
                        UPDATE workflow_step SET status = 'FAILURE', outcome = 'FAILURE', error = ?2, finished_at = ?3
                        WHERE run_id = ?1 AND status = 'RUNNING'""")
                .setParameter(1, runId)
                .setParameter(2, error)
                .setParameter(3, at)
                .executeUpdate();
        em.createNativeQuery("""
                        UPDATE workflow_job SET status = 'FAILURE', outcome = 'FAILURE', error = ?2, finished_at = ?3
                        WHERE run_id = ?1 AND status = 'RUNNING'""")
                .setParameter(1, runId)
                .setParameter(2, error)
                .setParameter(3, at)
                .executeUpdate();
    }

    private static final String RUN_COLUMNS = """
            run_id, host, crq_id, name, source, session, workspace, directory, requested_by, status, error,
            started_at, finished_at, repo, ref, commit_id, cancelled_by""";

    public Optional<RunRow> run(String runId) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery(
                        "SELECT " + RUN_COLUMNS + " FROM workflow_run WHERE run_id = ?1", Tuple.class)
                .setParameter(1, runId)
                .getResultList();
        return rows.stream().findFirst().map(WorkflowRepository::run);
    }

    /** Runs newest first, at most {@code limit}: of one CRQ (or all, null) and of one status (or all, null). */
    @SuppressWarnings("unchecked")
    public List<RunRow> runs(String crqId, String status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM workflow_run WHERE TRUE");
        if (crqId != null) {
            sql.append(" AND crq_id = :crq");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        sql.append(" ORDER BY started_at DESC, run_id DESC");
        Query query = em.createNativeQuery(sql.toString(), Tuple.class).setMaxResults(limit);
        if (crqId != null) {
            query.setParameter("crq", crqId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return ((List<Tuple>) query.getResultList())
                .stream().map(WorkflowRepository::run).toList();
    }

    /** A run's job runs in their order; {@code fallbackPosition} is the stored position (0 when none). */
    @SuppressWarnings("unchecked")
    public List<JobRow> jobs(String runId) {
        List<Tuple> rows =
                em.createNativeQuery("""
                        SELECT job_id, name, position, matrix, status, outcome, outputs, error, started_at, finished_at
                        FROM workflow_job WHERE run_id = ?1 ORDER BY position, started_at, name""", Tuple.class).setParameter(1, runId).getResultList();
        return rows.stream().map(j -> job(runId, j)).toList();
    }

    /** A run's steps, by job run and index. */
    @SuppressWarnings("unchecked")
    public List<StepRow> steps(String runId) {
        List<Tuple> rows =
                em.createNativeQuery("""
                        SELECT job_id, job_name, step_index, step_id, name, status, outcome, exit_code, timed_out,
                            outputs, error, exec_id, log_path, started_at, finished_at
                        FROM workflow_step WHERE run_id = ?1 ORDER BY job_id, job_name, step_index""", Tuple.class).setParameter(1, runId).getResultList();
        return rows.stream().map(s -> step(runId, s)).toList();
    }

    private static RunRow run(Tuple row) {
        return new RunRow(
                row.get("run_id", String.class),
                row.get("host", String.class),
                row.get("crq_id", String.class),
                row.get("name", String.class),
                row.get("source", String.class),
                row.get("session", String.class),
                row.get("workspace", String.class),
                row.get("directory", String.class),
                row.get("requested_by", String.class),
                row.get("status", String.class),
                row.get("error", String.class),
                instant(row.get("started_at")),
                instant(row.get("finished_at")),
                row.get("repo", String.class),
                row.get("ref", String.class),
                row.get("commit_id", String.class),
                row.get("cancelled_by", String.class));
    }

    private static JobRow job(String runId, Tuple row) {
        Integer position = integer(row.get("position"));
        return new JobRow(
                runId,
                row.get("job_id", String.class),
                row.get("name", String.class),
                position,
                position == null ? 0 : position,
                row.get("matrix", String.class),
                row.get("status", String.class),
                row.get("outcome", String.class),
                row.get("outputs", String.class),
                row.get("error", String.class),
                instant(row.get("started_at")),
                instant(row.get("finished_at")));
    }

    private static StepRow step(String runId, Tuple row) {
        return new StepRow(
                runId,
                row.get("job_id", String.class),
                row.get("job_name", String.class),
                integer(row.get("step_index")),
                row.get("step_id", String.class),
                row.get("name", String.class),
                row.get("status", String.class),
                row.get("outcome", String.class),
                integer(row.get("exit_code")),
                Boolean.TRUE.equals(row.get("timed_out")),
                row.get("outputs", String.class),
                row.get("error", String.class),
                row.get("exec_id", String.class),
                row.get("log_path", String.class),
                instant(row.get("started_at")),
                instant(row.get("finished_at")));
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    @SuppressWarnings("unchecked")
    public List<String> running(String host) {
        return em.createNativeQuery("SELECT run_id FROM workflow_run WHERE host = ?1 AND status = 'RUNNING'")
                .setParameter(1, host)
                .getResultList();
    }
}
