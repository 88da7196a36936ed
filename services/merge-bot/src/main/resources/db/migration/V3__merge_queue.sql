-- The merge queue: per repository settings, check reports, the queue itself and merges in flight.

-- How a repository's approved CRQs are merged. A repository without a row uses the defaults:
-- strategy 'merge', no required checks, merged branches kept.
CREATE TABLE merge_settings (
    repo                 TEXT PRIMARY KEY,
    strategy             TEXT        NOT NULL CHECK (strategy IN ('merge', 'ff-only', 'squash', 'rebase')),
    required_checks      TEXT[]      NOT NULL DEFAULT '{}',
    delete_merged_branch BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_by           TEXT        NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

-- The latest report of each check on each commit (CheckReported, from POST /checks here or from elsewhere).
CREATE TABLE check_run (
    repo        TEXT        NOT NULL,
    commit_id   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILURE')),
    url         TEXT,
    reported_by TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repo, commit_id, name)
);

-- Approved CRQs not merged yet, per repo and target, in approval order. state/reason are what merge-bot last
-- announced for the CRQ (MergeWaiting or MergeBlocked), so it announces only changes.
CREATE TABLE merge_queue_entry (
    crq_id        BIGINT PRIMARY KEY,
    repo          TEXT        NOT NULL,
    target_branch TEXT        NOT NULL,
    approver      TEXT        NOT NULL,
    approved_at   TIMESTAMPTZ NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('QUEUED', 'WAITING', 'BLOCKED')),
    reason        TEXT,
    enqueued_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX merge_queue_entry_order ON merge_queue_entry (repo, target_branch, approved_at, crq_id);

-- The head merge-bot is about to move a target to, committed before the move: if the service dies after
-- moving the ref but before recording the merge, the next attempt finds its own work instead of redoing it
-- (whatever the strategy: a squash or rebase leaves no merge commit to recognise).
CREATE TABLE merge_intent (
    crq_id        BIGINT PRIMARY KEY,
    repo          TEXT        NOT NULL,
    target_branch TEXT        NOT NULL,
    branch        TEXT        NOT NULL,
    new_head      TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);
