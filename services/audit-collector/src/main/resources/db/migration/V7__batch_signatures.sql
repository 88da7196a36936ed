-- Hosts sign once per batch (io.gitcrq.model.chain.AuditSignature): the signature is over the batch's statement, and
-- each event keeps what checks it alone — the batch's first host_seq and size, and the event's audit path in the
-- batch's Merkle tree (a JSON array of base64 hashes, leaf level first).
ALTER TABLE audit_event ADD COLUMN batch_first_seq BIGINT;
ALTER TABLE audit_event ADD COLUMN batch_size      INTEGER;
ALTER TABLE audit_event ADD COLUMN batch_proof     TEXT;
