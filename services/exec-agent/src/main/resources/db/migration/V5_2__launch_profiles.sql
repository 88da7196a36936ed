-- Execs started from a launch profile name it, and may have their recording written where the profile said.
ALTER TABLE managed_exec ADD COLUMN profile TEXT;
ALTER TABLE managed_exec ADD COLUMN recordings_dir TEXT;

-- This agent's view of the CRQs (from crq-service's events): a launch gives the tool its CRQ's title and
-- description, and refuses a CRQ nobody created.
CREATE TABLE crq_view (
    crq_id      TEXT PRIMARY KEY,
    title       TEXT        NOT NULL,
    description TEXT,
    requester   TEXT,
    repo        TEXT,
    status      TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
