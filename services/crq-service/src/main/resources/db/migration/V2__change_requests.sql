CREATE TABLE change_request (
    id             BIGSERIAL PRIMARY KEY,
    title          TEXT        NOT NULL,
    description    TEXT        NOT NULL DEFAULT '',
    requester      TEXT        NOT NULL,
    approver       TEXT,
    repo           TEXT        NOT NULL,
    target_branch  TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    blocked_reason TEXT,
    merge_commit   TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX change_request_status_repo ON change_request (status, repo);

-- Every status change, who made it and why: the CRQ's audit history.
CREATE TABLE crq_transition (
    id          BIGSERIAL PRIMARY KEY,
    crq_id      BIGINT      NOT NULL REFERENCES change_request (id),
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX crq_transition_crq ON crq_transition (crq_id, id);

CREATE TABLE crq_branch_link (
    crq_id BIGINT NOT NULL REFERENCES change_request (id),
    repo   TEXT   NOT NULL,
    branch TEXT   NOT NULL,
    PRIMARY KEY (crq_id, repo, branch)
);

-- Commit ↔ CRQ, both ways: by CRQ (primary key order) and by commit (index).
CREATE TABLE crq_commit_link (
    crq_id    BIGINT      NOT NULL REFERENCES change_request (id),
    repo      TEXT        NOT NULL,
    commit_id TEXT        NOT NULL,
    branch    TEXT        NOT NULL,
    message   TEXT        NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (crq_id, repo, commit_id)
);
CREATE INDEX crq_commit_link_commit ON crq_commit_link (commit_id);
