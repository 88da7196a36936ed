-- An approval is for a commit. The head of each branch whose name names a CRQ, as git-watcher announced it
-- (BranchCreated, then each CommitPushed on the branch): the commit an approval is for.
CREATE TABLE crq_branch_head (
    crq_id     BIGINT      NOT NULL REFERENCES change_request (id),
    repo       TEXT        NOT NULL,
    branch     TEXT        NOT NULL,
    head       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (crq_id, repo, branch)
);
CREATE INDEX crq_branch_head_branch ON crq_branch_head (repo, branch);

-- The commit the CRQ's approval is for (CrqApproved.headCommit), and why an approval was withdrawn (a commit
-- pushed after it) until the CRQ is approved again.
ALTER TABLE change_request ADD COLUMN approved_commit TEXT;
ALTER TABLE change_request ADD COLUMN approval_withdrawn TEXT;
