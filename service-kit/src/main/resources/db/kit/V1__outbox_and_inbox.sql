-- Shared by every gitcrq service (from service-kit). Services number their own migrations from V2.

-- Events a service publishes, written in the same transaction as the state change they announce.
-- Debezium reads the inserts from the WAL and relays each row to its Kafka topic; rows stay as the
-- service's record of what it published.
CREATE TABLE outbox_event (
    id          UUID PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Events a service has consumed: a redelivered event (Kafka delivers at least once) is recognised here
-- and skipped, in the same transaction as the handling.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
