-- The effective gitcrq policy of each repository as git-watcher last applied it (RepoPolicyChanged.PolicyRules as
-- JSON): a poll that reads another one announces the change, so edits of a repository's git config are audited.
CREATE TABLE repo_policy_seen (
    repo       TEXT PRIMARY KEY,
    rules      JSONB NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
