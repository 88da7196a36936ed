package io.gitcrq.model.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * {@code governance} (audit-collector): a rule of the process itself changed — {@code rule} (e.g.
 * {@code merge-settings}) of {@code repo}, or of {@code crqId} where a rule is a CRQ's, by {@code changedBy}, from
 * {@code before} to {@code after}, as the service that enforces the rule ({@code service}) announced it in event
 * {@code eventType}. audit-collector chains these records per service: the chain named {@code gitcrq/<service>}.
 */
public record GovernanceChange(
        String service,
        String rule,
        String repo,
        String crqId,
        String changedBy,
        JsonNode before,
        JsonNode after,
        String eventType)
        implements AuditPayload {

    public static final String KIND = "governance";

    public GovernanceChange {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(changedBy, "changedBy");
    }

    /** The chain (the {@code host} of its audit rows) of the governance records of one service. */
    public static String chainOf(String service) {
        return "gitcrq/" + service;
    }

    @Override
    public String kind() {
        return KIND;
    }
}
