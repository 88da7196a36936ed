-- The audit sources started around each exec (gitcrq.exec.audit.*, module audit-sources): RUNNING once started,
-- STOPPED with what it captured and dropped (its <kind>.summary record) once the exec ended, or FAILED with why it
-- could not start (the command ran all the same). reason also notes a tracer that attached late.
CREATE TABLE exec_audit_source (
    exec_id  TEXT   NOT NULL REFERENCES managed_exec (exec_id),
    kind     TEXT   NOT NULL,
    status   TEXT   NOT NULL,
    captured BIGINT,
    dropped  BIGINT,
    reason   TEXT,
    PRIMARY KEY (exec_id, kind)
);
