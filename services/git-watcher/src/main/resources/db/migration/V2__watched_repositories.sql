-- Repositories git-watcher watches. location is an absolute path (local repositories) or a URL
-- (remote ones, read through a bare mirror that git-watcher fetches before each poll).
CREATE TABLE watched_repo (
    name           TEXT        PRIMARY KEY,
    location       TEXT        NOT NULL,
    remote         BOOLEAN     NOT NULL,
    default_branch TEXT        NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL
);

-- Where each branch pointed at the last poll: what the next poll compares the repository with.
CREATE TABLE branch_position (
    repo   TEXT NOT NULL REFERENCES watched_repo (name),
    branch TEXT NOT NULL,
    head   TEXT NOT NULL,
    PRIMARY KEY (repo, branch)
);

-- Commits already announced as CommitPushed: a commit reaching a second branch (a merge, a cherry-picked
-- branch recreated) is not announced again.
CREATE TABLE emitted_commit (
    repo       TEXT        NOT NULL REFERENCES watched_repo (name),
    commit_id  TEXT        NOT NULL,
    branch     TEXT        NOT NULL,
    emitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repo, commit_id)
);

-- Every PolicyViolation this service published, for GET /violations.
CREATE TABLE policy_violation (
    id          BIGSERIAL PRIMARY KEY,
    repo        TEXT        NOT NULL REFERENCES watched_repo (name),
    ref         TEXT        NOT NULL,
    commit_id   TEXT,
    rule        TEXT        NOT NULL,
    detail      TEXT,
    detected_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_violation_repo ON policy_violation (repo, id DESC);
