-- When the agent handed the command to tmux: null while it is only accepted. After a restart, a RUNNING row that
-- was never launched has no pane to watch and is ended as not started (ExecRecovery). Rows left RUNNING by an older
-- agent were all launched as far as it knew.
ALTER TABLE managed_exec ADD COLUMN launched_at TIMESTAMPTZ;
UPDATE managed_exec SET launched_at = started_at WHERE status = 'RUNNING';
