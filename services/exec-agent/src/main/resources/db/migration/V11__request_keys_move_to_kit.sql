-- Idempotency keys are kept by service-kit's idempotency_key table now, the same in every service. The keys V10 kept
-- served retries of at most a day; an upgrade forgets them rather than copying them into a table made after Flyway.
DROP TABLE exec_request_key;
