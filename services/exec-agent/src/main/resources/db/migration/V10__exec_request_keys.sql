-- Idempotency keys (the IETF draft "The Idempotency-Key HTTP Header Field"): a client that repeats POST /execs with
-- the key of an earlier try, its answer lost, gets the exec that try started instead of a second run of the command.
-- A key is the requesting user's, kept for a day; the request's SHA-256 tells a repeat from a key reused for another.
CREATE TABLE exec_request_key (
    requested_by    TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    request_sha256  TEXT        NOT NULL,
    exec_id         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (requested_by, idempotency_key)
);
CREATE INDEX exec_request_key_created_at ON exec_request_key (created_at);
