-- Execs that are workflow steps: the run and step they belong to, how long they may run, and whether the agent
-- killed them (stopped_by: 'timeout' or 'cancel'; reason then says so).
ALTER TABLE managed_exec ADD COLUMN timeout_ms BIGINT;
ALTER TABLE managed_exec ADD COLUMN stopped_by TEXT;
ALTER TABLE managed_exec ADD COLUMN workflow_run_id TEXT;
ALTER TABLE managed_exec ADD COLUMN workflow_step TEXT;
CREATE INDEX managed_exec_workflow_run ON managed_exec (workflow_run_id) WHERE workflow_run_id IS NOT NULL;

-- Workflow runs (POST /workflows), kept up to date while they run by the engine's listener. Status: RUNNING,
-- then the run's result: SUCCESS, FAILURE or CANCELLED. JSON columns (matrix, outputs) hold text.
CREATE TABLE workflow_run (
    run_id       TEXT PRIMARY KEY,
    host         TEXT        NOT NULL,
    crq_id       TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    source       TEXT        NOT NULL,
    session      TEXT        NOT NULL,
    workspace    TEXT        NOT NULL,
    directory    TEXT,
    requested_by TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    error        TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX workflow_run_crq ON workflow_run (crq_id, started_at);
CREATE INDEX workflow_run_running ON workflow_run (host) WHERE status = 'RUNNING';

-- One row per job run (a job, or one matrix combination of it): RUNNING, then its conclusion (SUCCESS, FAILURE,
-- CANCELLED, SKIPPED); outcome is before continue-on-error. position orders them as the engine does (file, then
-- matrix order) once the run ended; before, in the order they started or were decided.
CREATE TABLE workflow_job (
    run_id      TEXT        NOT NULL REFERENCES workflow_run (run_id),
    job_id      TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    position    INTEGER     NOT NULL,
    matrix      TEXT,
    status      TEXT        NOT NULL,
    outcome     TEXT,
    outputs     TEXT,
    error       TEXT,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (run_id, job_id, name)
);

-- One row per step of a job run that started: RUNNING while its exec runs, then its conclusion. exec_id names the
-- exec (log, recording) that ran it; none for steps that were skipped or failed before they ran.
CREATE TABLE workflow_step (
    run_id      TEXT        NOT NULL REFERENCES workflow_run (run_id),
    job_id      TEXT        NOT NULL,
    job_name    TEXT        NOT NULL,
    step_index  INTEGER     NOT NULL,
    step_id     TEXT,
    name        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    outcome     TEXT,
    exit_code   INTEGER,
    timed_out   BOOLEAN     NOT NULL DEFAULT FALSE,
    outputs     TEXT,
    error       TEXT,
    exec_id     TEXT,
    log_path    TEXT,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (run_id, job_id, job_name, step_index)
);
