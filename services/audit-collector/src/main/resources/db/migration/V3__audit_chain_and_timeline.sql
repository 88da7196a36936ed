-- Each host's audit events form a hash chain: sequence 1, 2, 3, ... within the host, and
-- hash = SHA-256(prev_hash || canonical JSON of the event) (see io.gitcrq.audit.chain.ChainHash). A row
-- stored before chaining existed has no sequence yet; ChainBackfill chains such rows at start.
ALTER TABLE audit_event ADD COLUMN sequence  BIGINT;
ALTER TABLE audit_event ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_event ADD COLUMN hash      TEXT;

CREATE UNIQUE INDEX audit_event_chain ON audit_event (host, sequence);
CREATE INDEX audit_event_crq_chain ON audit_event (crq_id, host, sequence);
CREATE INDEX audit_event_unchained ON audit_event (host) WHERE sequence IS NULL;

-- The end of each host's chain. An append locks this row (SELECT ... FOR UPDATE) in the transaction of its
-- insert, so appends to one host are serialized across consumer threads and instances; it also lets
-- verification notice rows cut off the end of a chain.
CREATE TABLE audit_chain_head (
    host          TEXT        PRIMARY KEY,
    last_sequence BIGINT      NOT NULL,
    last_hash     TEXT        NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What retention deleted: every sequence up to and including `sequence` of the host is gone, and `hash`
-- was the hash of that last deleted row. Verification of what stays starts from the latest checkpoint.
CREATE TABLE audit_checkpoint (
    host        TEXT        NOT NULL,
    sequence    BIGINT      NOT NULL,
    hash        TEXT        NOT NULL,
    cutoff      TIMESTAMPTZ NOT NULL,
    deleted     BIGINT      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (host, sequence)
);

-- A CRQ's Git, CRQ, merge and exec events, as audit-collector consumed them from their topics (it reads no
-- other service's tables). One row per event and CRQ: a commit naming two CRQs is on both timelines.
CREATE TABLE timeline_entry (
    event_id    TEXT        NOT NULL,
    crq_id      TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    source      TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    summary     TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, crq_id)
);

CREATE INDEX timeline_entry_crq ON timeline_entry (crq_id, occurred_at, event_id);
