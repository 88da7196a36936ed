-- The repositories git-watcher watches, as this agent knows them from RepoWatched/RepoUnwatched: a CRQ's repository
-- whose location is a directory of this host is a project here without configuration.
CREATE TABLE watched_repo (
    repo           TEXT PRIMARY KEY,
    location       TEXT        NOT NULL,
    default_branch TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);
