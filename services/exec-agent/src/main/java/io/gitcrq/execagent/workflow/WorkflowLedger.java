package io.gitcrq.execagent.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gitcrq.execagent.audit.AuditEvents;
import io.gitcrq.execagent.domain.ExecEnded;
import io.gitcrq.execagent.domain.ExecStatus;
import io.gitcrq.execagent.domain.ManagedExec;
import io.gitcrq.execagent.recording.Redactor;
import io.gitcrq.execagent.repository.ExecRepository;
import io.gitcrq.execagent.repository.WorkflowRepository;
import io.gitcrq.execagent.repository.WorkflowRepository.JobRow;
import io.gitcrq.execagent.repository.WorkflowRepository.NewRun;
import io.gitcrq.execagent.repository.WorkflowRepository.RunRow;
import io.gitcrq.execagent.repository.WorkflowRepository.StepRow;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.idempotency.IdempotencyKeys;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.api.exec.WorkflowView;
import io.gitcrq.model.audit.WorkflowCancelRequested;
import io.gitcrq.model.audit.WorkflowFinished;
import io.gitcrq.model.audit.WorkflowStarted;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.workflow.JobRun;
import io.gitcrq.workflow.Status;
import io.gitcrq.workflow.StepRun;
import io.gitcrq.workflow.WorkflowRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known of workflow runs, in the database: each change in a transaction of its own, and the run's start and
 * end published (outbox) as {@link AuditCaptured} of kind {@value WorkflowStarted#KIND} in the transaction that
 * records them.
 */
@ApplicationScoped
public class WorkflowLedger {

    public static final String RUNNING = "RUNNING";

    private static final TypeReference<Map<String, Object>> MATRIX = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() {};

    private final WorkflowRepository runs;
    private final ExecRepository execs;
    private final Outbox outbox;
    private final Redactor redactor;
    private final IdempotencyKeys requestKeys;

    public WorkflowLedger(
            WorkflowRepository runs,
            ExecRepository execs,
            Outbox outbox,
            Redactor redactor,
            IdempotencyKeys requestKeys) {
        this.runs = runs;
        this.execs = execs;
        this.outbox = outbox;
        this.redactor = redactor;
        this.requestKeys = requestKeys;
    }

    /**
     * A run accepted: its row, and the audit of its start naming the workflow it runs (secrets masked); with an
     * idempotency key ({@code key}, may be null), once per key of its requester: empty when this run was recorded,
     * the run an earlier request with the key started (and nothing recorded) when this is a repeat.
     */
    @Transactional
    public Optional<String> started(
            NewRun run, List<String> jobIds, String workflowText, String workflowSha256, IdempotencyKey key) {
        if (key != null) {
            Optional<String> earlier = requestKeys.claim(run.requestedBy(), key, run.startedAt());
            if (earlier.isPresent()) {
                return earlier;
            }
            requestKeys.bind(run.requestedBy(), key, run.runId());
        }
        runs.insertRun(run);
        outbox.publish(AuditEvents.captured(
                run.host(),
                run.crqId(),
                run.startedAt(),
                new WorkflowStarted(
                        WorkflowStarted.EVENT,
                        run.runId(),
                        redactor.mask(run.name()),
                        redactor.mask(run.source()),
                        run.session(),
                        run.workspace(),
                        run.requestedBy(),
                        run.startedAt(),
                        workflowSha256,
                        redactor.mask(workflowText),
                        run.repo() == null
                                ? null
                                : new WorkflowStarted.Committed(run.repo(), run.ref(), run.commitId()),
                        jobIds)));
        return Optional.empty();
    }

    @Transactional
    public void jobStarted(String runId, String jobId, String name, Map<String, Object> matrix, int position) {
        runs.insertJob(new JobRow(
                runId, jobId, name, null, position, json(matrix), RUNNING, null, null, null, SqlTimes.now(), null));
    }

    @Transactional
    public void jobFinished(String runId, JobRun job, Integer position, int fallbackPosition) {
        runs.upsertJob(jobRow(runId, job, position, fallbackPosition));
    }

    @Transactional
    public void stepStarted(String runId, String jobId, String jobName, int index, String stepId, String name) {
        runs.upsertStep(new StepRow(
                runId,
                jobId,
                jobName,
                index,
                stepId,
                name,
                RUNNING,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                SqlTimes.now(),
                null));
    }

    @Transactional
    public void stepExec(String runId, String jobId, String jobName, int index, String execId, String logPath) {
        runs.setStepExec(runId, jobId, jobName, index, execId, logPath);
    }

    @Transactional
    public void stepFinished(String runId, String jobId, String jobName, StepRun step) {
        runs.upsertStep(stepRow(runId, jobId, jobName, step));
    }

    /**
     * The run's result: every job run and step settled as the engine reports them (job runs in its order), the run
     * ended, and the audit of its end with each job run and step, and the exec that ran each step.
     */
    @Transactional
    public void finished(String runId, WorkflowRun result) {
        List<JobRun> jobs = result.jobs();
        for (int i = 0; i < jobs.size(); i++) {
            JobRun job = jobs.get(i);
            runs.upsertJob(jobRow(runId, job, i, i));
            for (StepRun step : job.steps()) {
                runs.upsertStep(stepRow(runId, job.jobId(), job.name(), step));
            }
        }
        String directory =
                result.directory() == null ? null : result.directory().toString();
        end(runId, result.status().name(), null, directory);
    }

    /**
     * Someone cancelled a run still RUNNING: who, on its row and audited ({@code event: cancel-requested}); false
     * (nothing done) if it has ended or was cancelled already. Its end is recorded when the engine has wound down.
     */
    @Transactional
    public boolean cancelRequested(String runId, String user) {
        if (!runs.cancelRun(runId, user)) {
            return false;
        }
        RunRow run = runs.run(runId).orElseThrow();
        Instant at = SqlTimes.now();
        outbox.publish(AuditEvents.captured(
                run.host(),
                run.crqId(),
                at,
                new WorkflowCancelRequested(
                        WorkflowCancelRequested.EVENT, runId, redactor.mask(run.name()), user, at)));
        return true;
    }

    /** The engine failed (not a step: the engine itself), or the agent restarted while the run went on. */
    @Transactional
    public void failed(String runId, String error) {
        runs.abandon(runId, error, SqlTimes.now());
        end(runId, Status.FAILURE.name(), error, null);
    }

    /** Runs of this host left RUNNING by an agent that stopped: nobody runs them any more. */
    @Transactional
    public List<String> running(String host) {
        return runs.running(host);
    }

    private void end(String runId, String status, String error, String directory) {
        Instant finishedAt = SqlTimes.now();
        if (!runs.endRun(runId, status, error, directory, finishedAt)) {
            return;
        }
        WorkflowView view = view(runs.run(runId).orElseThrow());
        outbox.publish(AuditEvents.captured(
                view.host(),
                view.crqId(),
                finishedAt,
                new WorkflowFinished(
                        WorkflowFinished.EVENT,
                        runId,
                        view.name(),
                        status,
                        view.requestedBy(),
                        view.session(),
                        view.startedAt(),
                        finishedAt,
                        view.cancelledBy(),
                        redactor.mask(error),
                        view.jobs().stream().map(WorkflowLedger::audited).toList())));
    }

    /** A job run as the audit of the run's end names it: its status, outputs and steps. */
    private static WorkflowFinished.Job audited(WorkflowView.Job job) {
        return new WorkflowFinished.Job(
                job.jobId(),
                job.name(),
                job.status(),
                job.outputs(),
                job.steps().stream()
                        .map(step -> new WorkflowFinished.Step(
                                step.index(),
                                step.name(),
                                step.status(),
                                step.execId(),
                                step.exitCode(),
                                step.timedOut() ? Boolean.TRUE : null))
                        .toList());
    }

    @Transactional
    public Optional<WorkflowView> view(String runId) {
        return runs.run(runId).map(this::view);
    }

    /** Runs newest first, without their jobs (see {@link WorkflowRepository#runs}). */
    @Transactional
    public List<WorkflowView> list(String crqId, String status, int limit) {
        return runs.runs(crqId, status, limit).stream()
                .map(run -> view(run, null))
                .toList();
    }

    /** How an exec ended, from its row: for a step whose end went unnoticed. Empty while it runs. */
    @Transactional
    public Optional<ExecEnded> execEnd(String execId) {
        return execs.byId(execId).filter(e -> e.status != ExecStatus.RUNNING).map(WorkflowLedger::ended);
    }

    private static ExecEnded ended(ManagedExec e) {
        return ExecEnded.of(e);
    }

    private WorkflowView view(RunRow run) {
        return view(run, jobs(run.runId()));
    }

    /** A run's row as the API shows it, with these job runs (null: not loaded). */
    private WorkflowView view(RunRow run, List<WorkflowView.Job> jobs) {
        return new WorkflowView(
                run.runId(),
                redactor.mask(run.name()),
                redactor.mask(run.source()),
                run.status(),
                run.crqId(),
                run.host(),
                run.session(),
                run.workspace(),
                run.repo(),
                run.ref(),
                run.commitId(),
                run.directory(),
                run.requestedBy(),
                run.cancelledBy(),
                redactor.mask(run.error()),
                run.startedAt(),
                run.finishedAt(),
                jobs);
    }

    private List<WorkflowView.Job> jobs(String runId) {
        Map<String, List<WorkflowView.Step>> stepsByJob = new LinkedHashMap<>();
        for (StepRow s : runs.steps(runId)) {
            stepsByJob
                    .computeIfAbsent(key(s.jobId(), s.jobName()), k -> new ArrayList<>())
                    .add(new WorkflowView.Step(
                            s.index(),
                            s.stepId(),
                            redactor.mask(s.name()),
                            s.status(),
                            s.outcome(),
                            s.exitCode(),
                            s.timedOut(),
                            masked(read(s.outputs(), OUTPUTS)),
                            redactor.mask(s.error()),
                            s.execId(),
                            s.logPath(),
                            s.startedAt(),
                            s.finishedAt()));
        }
        List<WorkflowView.Job> jobs = new ArrayList<>();
        for (JobRow j : runs.jobs(runId)) {
            jobs.add(new WorkflowView.Job(
                    j.jobId(),
                    redactor.mask(j.name()),
                    read(j.matrix(), MATRIX),
                    j.status(),
                    j.outcome(),
                    masked(read(j.outputs(), OUTPUTS)),
                    redactor.mask(j.error()),
                    j.startedAt(),
                    j.finishedAt(),
                    stepsByJob.getOrDefault(key(j.jobId(), j.name()), List.of())));
        }
        return jobs;
    }

    private static String key(String jobId, String jobName) {
        return jobId + "\u0000" + jobName;
    }

    private Map<String, String> masked(Map<String, String> values) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, redactor.mask(v)));
        return out;
    }

    private static JobRow jobRow(String runId, JobRun job, Integer position, int fallbackPosition) {
        return new JobRow(
                runId,
                job.jobId(),
                job.name(),
                position,
                fallbackPosition,
                json(job.matrix()),
                job.conclusion().name(),
                job.outcome().name(),
                json(job.outputs()),
                job.error(),
                micros(job.startedAt()),
                micros(job.finishedAt()));
    }

    private static StepRow stepRow(String runId, String jobId, String jobName, StepRun step) {
        return new StepRow(
                runId,
                jobId,
                jobName,
                step.index(),
                step.id(),
                step.name(),
                step.conclusion().name(),
                step.outcome().name(),
                step.exitCode(),
                step.timedOut(),
                json(step.outputs()),
                step.error(),
                null,
                step.log() == null ? null : step.log().toString(),
                micros(step.startedAt()),
                micros(step.finishedAt()));
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the workflow tables: " + json, e);
        }
    }

    private static Instant micros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }
}
