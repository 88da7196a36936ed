-- Governance records (kind 'governance': a rule of the process changed, e.g. a repository's merge settings) are
-- about a repository rather than a CRQ: crq_id may be NULL for them (it hashes as JSON null), and the repository
-- they name is derived from their payload, so that a repository's governance trail is one indexed query and can
-- never disagree with what was hashed.
ALTER TABLE audit_event ALTER COLUMN crq_id DROP NOT NULL;
ALTER TABLE audit_event ADD COLUMN repo TEXT GENERATED ALWAYS AS (payload ->> 'repo') STORED;
CREATE INDEX audit_event_repo ON audit_event (repo, occurred_at DESC, event_id) WHERE repo IS NOT NULL;
