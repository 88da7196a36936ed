-- CRQ-scoped tokens (docs/guide/mcp.md#crq-scoped-tokens): an agent launched for one CRQ calls the MCP server with
-- one, and may act on that CRQ only, as the person who made the token, until it expires or is revoked.
CREATE TABLE crq_token (
    id          uuid PRIMARY KEY,
    -- SHA-256 of the token: the token itself is shown once, to whoever made it, and never stored.
    token_hash  bytea       NOT NULL UNIQUE,
    user_name   text        NOT NULL,
    -- The maker's roles when it was made, comma-separated: what the MCP server offers the token's caller.
    roles       text        NOT NULL,
    crq_id      text        NOT NULL,
    -- The maker's Authorization header, sealed (service-kit's SecretBox, bound to this row's id): the tools call the
    -- owning services with it, so those still decide every call as for the person.
    credential  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX crq_token_expires_at ON crq_token (expires_at);
