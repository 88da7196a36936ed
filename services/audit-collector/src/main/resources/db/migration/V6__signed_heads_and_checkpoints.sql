-- Heads hosts signed (AuditHeadSigned): "I have published my audit events up to last_seq, and this is the digest of
-- that event's signed form". Every head is kept; verification compares the latest of each host and key with the
-- chain, so events cut off the chain's end, or a chain deleted whole, show.
CREATE TABLE audit_signed_head (
    host        TEXT        NOT NULL,
    key_id      TEXT        NOT NULL,
    last_seq    BIGINT      NOT NULL,
    last_digest TEXT        NOT NULL,
    signed_at   TIMESTAMPTZ NOT NULL,
    signature   TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (host, key_id, last_seq)
);

-- Retention checkpoints are signed by audit-collector's own key (gitcrq.audit.signing-key-file): a checkpoint
-- inserted by hand, or edited, no longer verifies. host_seq and host_key_id: the host's number (and key) of the last
-- deleted event, where the host's numbering continues after the checkpoint. Checkpoints made before signing
-- existed (legacy) are signed once, at the next start.
ALTER TABLE audit_checkpoint ADD COLUMN host_seq      BIGINT;
ALTER TABLE audit_checkpoint ADD COLUMN host_key_id   TEXT;
ALTER TABLE audit_checkpoint ADD COLUMN signer_key_id TEXT;
ALTER TABLE audit_checkpoint ADD COLUMN signature     TEXT;
ALTER TABLE audit_checkpoint ADD COLUMN legacy        BOOLEAN NOT NULL DEFAULT false;
UPDATE audit_checkpoint SET legacy = true;
