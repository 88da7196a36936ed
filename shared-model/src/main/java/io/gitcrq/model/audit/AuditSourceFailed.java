package io.gitcrq.model.audit;

import java.util.Objects;

/**
 * {@code audit-source-failed} (exec-agent): the audit {@code source} of that kind could not start, for
 * {@code reason} (masked); the command ran all the same.
 */
public record AuditSourceFailed(String source, String reason) implements AuditPayload {

    public static final String KIND = "audit-source-failed";

    public AuditSourceFailed {
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
