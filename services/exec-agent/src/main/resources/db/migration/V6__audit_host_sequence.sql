-- The host's own numbering of the audit events it publishes (hostSeq 1, 2, 3, ...), advanced in the transaction that
-- writes them to the outbox, so numbers and published events never disagree; the row lock orders the numbering
-- across threads. last_digest is the SHA-256 of the signed form of event last_seq: what a signed head states.
CREATE TABLE audit_host_sequence (
    host        TEXT        PRIMARY KEY,
    last_seq    BIGINT      NOT NULL,
    last_digest TEXT,
    key_id      TEXT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
