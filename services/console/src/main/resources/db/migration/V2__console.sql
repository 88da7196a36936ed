-- The console's read model: what every topic said, kept to be shown. Nothing here is another service's table; all of
-- it can be rebuilt from the topics (a new database is filled from their earliest offsets).

-- Whether this database was filled from the topics' start: a row once the console first started on it.
CREATE TABLE read_model (
    id         INT         PRIMARY KEY CHECK (id = 1),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE repo (
    name           TEXT PRIMARY KEY,
    location       TEXT,
    default_branch TEXT,
    watched        BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE crq (
    id              TEXT        PRIMARY KEY,
    title           TEXT        NOT NULL DEFAULT '',
    description     TEXT        NOT NULL DEFAULT '',
    requester       TEXT,
    repo            TEXT,
    target_branch   TEXT,
    status          TEXT        NOT NULL DEFAULT 'DRAFT',
    status_reason   TEXT,
    created_at      TIMESTAMPTZ,
    approver        TEXT,
    approved_commit TEXT,
    approved_at     TIMESTAMPTZ,
    -- QUEUED, WAITING, BLOCKED (merge_reason says why) or MERGED; null before an approval
    merge_state     TEXT,
    merge_reason    TEXT,
    merge_commit    TEXT,
    merged_at       TIMESTAMPTZ,
    -- the time of the merge event the merge state is from: an older one arriving later changes nothing
    merge_at        TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX crq_queue ON crq (repo, target_branch, merge_state, approved_at);

-- Each approval of a CRQ, for the commit it named.
CREATE TABLE approval (
    event_id    TEXT PRIMARY KEY,
    crq_id      TEXT NOT NULL,
    approver    TEXT NOT NULL,
    head_commit TEXT,
    approved_at TIMESTAMPTZ
);
CREATE INDEX approval_crq ON approval (crq_id);

CREATE TABLE branch (
    repo       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    head       TEXT,
    crq_ids    TEXT[]  NOT NULL DEFAULT '{}',
    name_valid BOOLEAN NOT NULL DEFAULT TRUE,
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (repo, name)
);
CREATE INDEX branch_crqs ON branch USING GIN (crq_ids);

CREATE TABLE git_commit (
    repo      TEXT        NOT NULL,
    commit_id TEXT        NOT NULL,
    branch    TEXT        NOT NULL,
    author    TEXT,
    message   TEXT        NOT NULL DEFAULT '',
    crq_ids   TEXT[]      NOT NULL DEFAULT '{}',
    pushed_at TIMESTAMPTZ,
    PRIMARY KEY (repo, commit_id)
);
CREATE INDEX git_commit_crqs ON git_commit USING GIN (crq_ids);

CREATE TABLE check_run (
    repo        TEXT        NOT NULL,
    commit_id   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    url         TEXT,
    reported_by TEXT,
    at          TIMESTAMPTZ,
    PRIMARY KEY (repo, commit_id, name)
);

CREATE TABLE violation (
    event_id  TEXT PRIMARY KEY,
    repo      TEXT NOT NULL,
    ref       TEXT NOT NULL,
    commit_id TEXT,
    rule      TEXT NOT NULL,
    detail    TEXT,
    at        TIMESTAMPTZ
);
CREATE INDEX violation_repo ON violation (repo, at DESC);

-- RUNNING from its request until its ExecFinished says FINISHED or FAILED.
CREATE TABLE exec (
    exec_id      TEXT PRIMARY KEY,
    host         TEXT NOT NULL,
    crq_id       TEXT,
    command      TEXT,
    requested_by TEXT,
    session      TEXT,
    pane         TEXT,
    status       TEXT NOT NULL DEFAULT 'RUNNING',
    exit_code    INT,
    reason       TEXT,
    requested_at TIMESTAMPTZ,
    started_at   TIMESTAMPTZ,
    ended_at     TIMESTAMPTZ
);
CREATE INDEX exec_host ON exec (host, requested_at DESC);

CREATE TABLE audit_event (
    event_id    TEXT        PRIMARY KEY,
    host        TEXT        NOT NULL,
    crq_id      TEXT,
    kind        TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    host_seq    BIGINT,
    payload     TEXT        NOT NULL
);
CREATE INDEX audit_event_host ON audit_event (host, occurred_at DESC);

-- Per host and audit source: the captured and dropped counts of its <kind>.summary records, added up.
CREATE TABLE audit_source (
    host      TEXT   NOT NULL,
    kind      TEXT   NOT NULL,
    summaries BIGINT NOT NULL DEFAULT 0,
    seen      BIGINT NOT NULL DEFAULT 0,
    captured  BIGINT NOT NULL DEFAULT 0,
    dropped   BIGINT NOT NULL DEFAULT 0,
    fell_behind BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (host, kind)
);

-- Per host: the signed audit events received (hostSeq), and the last head the host signed.
CREATE TABLE audit_chain (
    host            TEXT   PRIMARY KEY,
    signed_events   BIGINT NOT NULL DEFAULT 0,
    max_seq         BIGINT NOT NULL DEFAULT 0,
    head_seq        BIGINT,
    head_signed_at  TIMESTAMPTZ
);

-- Every change of the read model, in commit order (writers take one lock): the live stream's log. Its id is the
-- server-sent event id a browser resumes from (Last-Event-ID).
CREATE TABLE change (
    id      BIGSERIAL   PRIMARY KEY,
    kind    TEXT        NOT NULL,
    crq_id  TEXT,
    host    TEXT,
    repo    TEXT,
    at      TIMESTAMPTZ NOT NULL,
    summary TEXT        NOT NULL,
    data    JSONB       NOT NULL
);
CREATE INDEX change_crq ON change (crq_id, id);
CREATE INDEX change_host ON change (host, id);
