-- Each exec's recording (asciicast v2, written when the command ends) and the SHA-256 of its bytes; empty for
-- execs that were refused, never started, or ran where util-linux script is missing.
ALTER TABLE managed_exec ADD COLUMN recording_path TEXT;
ALTER TABLE managed_exec ADD COLUMN recording_sha256 TEXT;
