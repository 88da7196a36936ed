-- Webhooks: the name a Git host calls the repository by (e.g. acme/demo) and the secret its deliveries are
-- signed with. The secret must stay readable (an HMAC is checked with the secret itself), so it is kept
-- here as given and never returned by the REST API; secrets from configuration are not stored at all.
ALTER TABLE watched_repo ADD COLUMN webhook_name TEXT;
ALTER TABLE watched_repo ADD COLUMN webhook_secret TEXT;

-- What the unlinked-commits report needs of each announced commit. Commits announced before this
-- migration have NULL here and are not in the report.
ALTER TABLE emitted_commit ADD COLUMN author_name TEXT;
ALTER TABLE emitted_commit ADD COLUMN author_email TEXT;
ALTER TABLE emitted_commit ADD COLUMN committed_at TIMESTAMPTZ;
ALTER TABLE emitted_commit ADD COLUMN subject TEXT;
-- The CRQ ids the CommitPushed carried, comma-separated; '' for a commit linked to no CRQ.
ALTER TABLE emitted_commit ADD COLUMN crq_ids TEXT;
CREATE INDEX emitted_commit_unlinked ON emitted_commit (repo, committed_at DESC, commit_id DESC) WHERE crq_ids = '';

-- The last history scan (backfill) of each repository and how far it got; one at a time per repository.
CREATE TABLE history_scan (
    repo        TEXT        PRIMARY KEY REFERENCES watched_repo (name),
    branch      TEXT,
    state       TEXT        NOT NULL,
    total       BIGINT,
    scanned     BIGINT      NOT NULL,
    emitted     BIGINT      NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    error       TEXT
);
