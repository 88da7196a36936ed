-- Every command this agent was asked to run, whether it ran (RUNNING → FINISHED or FAILED) or was refused
-- (FAILED with the reason). cwd and log_path are empty for a request refused before it was placed.
CREATE TABLE managed_exec (
    exec_id       TEXT PRIMARY KEY,
    host          TEXT        NOT NULL,
    session       TEXT        NOT NULL,
    pane          TEXT        NOT NULL,
    command       TEXT        NOT NULL,
    crq_id        TEXT        NOT NULL,
    branch        TEXT,
    cwd           TEXT,
    requested_by  TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    exit_code     INTEGER,
    reason        TEXT,
    log_path      TEXT,
    output_sha256 TEXT,
    started_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ
);

-- One running command per pane: a second one would be started over it (respawn kills the pane's process).
-- The database, not a check-then-insert, decides between two requests racing for the same pane.
CREATE UNIQUE INDEX managed_exec_one_running_per_pane ON managed_exec (host, session, pane) WHERE status = 'RUNNING';
CREATE INDEX managed_exec_crq ON managed_exec (crq_id, started_at);
