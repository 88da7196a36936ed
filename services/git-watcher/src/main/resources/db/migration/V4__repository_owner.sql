-- Who registered a repository: with admins, the only one who may change its webhook settings. NULL for
-- repositories registered before this migration or from configuration (admins only).
ALTER TABLE watched_repo ADD COLUMN registered_by TEXT;

-- webhook_secret holds the secret sealed with the service's key (SecretBox: AES-256-GCM bound to the repository's
-- name); secrets stored in plain text by earlier versions are sealed at the first start after this migration.
COMMENT ON COLUMN watched_repo.webhook_secret IS 'sealed: aes256gcm:v1:<base64 nonce+ciphertext>, never plain text';
