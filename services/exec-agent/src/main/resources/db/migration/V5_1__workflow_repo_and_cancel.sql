-- Runs of a workflow file committed in a Git repository on the host: the repository, the ref asked for and the
-- commit it named when the run started (the file was read from that commit). Null for runs of a text or a file.
ALTER TABLE workflow_run ADD COLUMN repo TEXT;
ALTER TABLE workflow_run ADD COLUMN ref TEXT;
ALTER TABLE workflow_run ADD COLUMN commit_id TEXT;
-- Who cancelled the run (POST /workflows/{runId}/cancel); its status becomes CANCELLED once the engine has wound down.
ALTER TABLE workflow_run ADD COLUMN cancelled_by TEXT;
