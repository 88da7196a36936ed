-- The audit trail: every AuditCaptured once. The event id is the key, so a redelivered event (Kafka
-- delivers at least once) is recognised by the insert itself and never stored twice.
CREATE TABLE audit_event (
    event_id    TEXT        PRIMARY KEY,
    host        TEXT        NOT NULL,
    crq_id      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    payload     JSONB       NOT NULL,
    source      TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- GET /audit lists newest first (occurred_at desc, then event id): per CRQ (the usual question), per host,
-- and over everything within a time range (kind alone is too coarse to deserve an index of its own).
CREATE INDEX audit_event_crq ON audit_event (crq_id, occurred_at DESC, event_id);
CREATE INDEX audit_event_host ON audit_event (host, occurred_at DESC, event_id);
CREATE INDEX audit_event_time ON audit_event (occurred_at DESC, event_id);
