-- merge-bot's own view of the world, built from events: it never reads other services' tables.

-- Where each watched repository lives (RepoWatched from git-watcher).
CREATE TABLE watched_repo (
    repo           TEXT PRIMARY KEY,
    location       TEXT        NOT NULL,
    default_branch TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- Each CRQ as crq-service announced it, and its current status. repo and target_branch stay empty for a
-- CRQ whose creation this service has not seen.
CREATE TABLE tracked_crq (
    crq_id        BIGINT PRIMARY KEY,
    repo          TEXT,
    target_branch TEXT,
    requester     TEXT,
    status        TEXT        NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Every merge attempt and its outcome: what merge-bot did, or exactly why it did not.
CREATE TABLE merge_attempt (
    id            BIGSERIAL PRIMARY KEY,
    crq_id        BIGINT      NOT NULL,
    repo          TEXT        NOT NULL,
    branch        TEXT,
    target_branch TEXT        NOT NULL,
    outcome       TEXT        NOT NULL CHECK (outcome IN ('MERGED', 'BLOCKED')),
    reason        TEXT,
    merge_commit  TEXT,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX merge_attempt_crq ON merge_attempt (crq_id, id);
-- A CRQ is merged at most once, whatever happens to the code above.
CREATE UNIQUE INDEX merge_attempt_merged_once ON merge_attempt (crq_id) WHERE outcome = 'MERGED';
