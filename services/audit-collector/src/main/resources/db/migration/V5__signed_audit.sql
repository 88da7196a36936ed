-- Hosts sign their audit events (io.gitcrq.model.chain.AuditSignature): a stored event keeps its host's numbering
-- (host_seq), the key it was signed with (key_id, a fingerprint) and the signature, which verification checks again.
ALTER TABLE audit_event ADD COLUMN host_seq  BIGINT;
ALTER TABLE audit_event ADD COLUMN key_id    TEXT;
ALTER TABLE audit_event ADD COLUMN signature TEXT;
-- A host numbers the events it signs with a key 1, 2, 3, ...: a number is used once per key, so a signed event sent
-- again under another event id is a replay, never a second row.
CREATE UNIQUE INDEX audit_event_host_seq ON audit_event (host, key_id, host_seq) WHERE host_seq IS NOT NULL;

-- Rows of a host's chain up to this sequence were stored before hosts signed; every later row of a host's chain must
-- be signed (governance chains, gitcrq/<service>, are audit-collector's own and unsigned).
ALTER TABLE audit_chain_head ADD COLUMN unsigned_until BIGINT NOT NULL DEFAULT 0;
UPDATE audit_chain_head SET unsigned_until = last_sequence;

-- The keys whose signatures a host's events must carry, registered by an admin (POST /audit/hosts). Revoked keys
-- stay: what they signed before their revocation still verifies.
CREATE TABLE audit_host_key (
    host          TEXT        NOT NULL,
    fingerprint   TEXT        NOT NULL,
    public_key    TEXT        NOT NULL,
    registered_by TEXT        NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_by    TEXT,
    revoked_at    TIMESTAMPTZ,
    PRIMARY KEY (host, fingerprint)
);
CREATE INDEX audit_host_key_fingerprint ON audit_host_key (fingerprint);

-- Signed events of a key nobody registered yet (a new host, before its admin registered it): held, not lost, and
-- chained in host_seq order, after their signatures are checked, when the key is registered for the host.
CREATE TABLE audit_held_event (
    event_id  TEXT        PRIMARY KEY,
    host      TEXT        NOT NULL,
    key_id    TEXT        NOT NULL,
    host_seq  BIGINT      NOT NULL,
    envelope  TEXT        NOT NULL,
    held_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_held_event_key ON audit_held_event (host, key_id, host_seq);

-- Events refused (unsigned, a signature that does not verify, a key of another host or revoked, a replayed number):
-- dead-lettered, and each counted here once (its event id), besides its record in audit-collector's own trail.
CREATE TABLE audit_rejection (
    event_id     TEXT        PRIMARY KEY,
    event_type   TEXT,
    host_claimed TEXT,
    key_id       TEXT,
    reason       TEXT        NOT NULL,
    rejected_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_rejection_time ON audit_rejection (rejected_at DESC);
