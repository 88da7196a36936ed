package io.gitcrq.model.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A host key audit-collector knows ({@code GET /audit/hosts}): the host, the key's fingerprint and PEM, who
 * registered it and when, and who revoked it and when (absent while it is in force). {@code held}: events of the
 * host waiting for a key (signed with a key not registered yet), on the list of hosts only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostKeyView(
        String host,
        String fingerprint,
        String publicKey,
        String registeredBy,
        Instant registeredAt,
        String revokedBy,
        Instant revokedAt,
        Long held) {}
