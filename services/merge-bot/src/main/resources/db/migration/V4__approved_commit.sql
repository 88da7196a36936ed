-- An approval is for a commit (CrqApproved.headCommit): merge-bot merges that commit of the CRQ's branch and no
-- later one. Empty for an approval published before approvals named a commit: its branch's head is merged.
ALTER TABLE merge_queue_entry ADD COLUMN approved_commit TEXT;
