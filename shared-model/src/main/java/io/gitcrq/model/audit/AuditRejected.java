package io.gitcrq.model.audit;

/**
 * {@code rejected} (audit-collector): an audit event audit-collector refused to chain, kept in its own trail (the
 * chain {@code gitcrq/audit-collector}) — event {@code eventId} of type {@code eventType} from {@code source}, which
 * claimed to come from {@code hostClaimed} and to be signed with key {@code keyId} (null: unsigned), refused because
 * of {@code reason}. The event itself went to audit-collector's dead-letter topic; nothing of its payload is kept here.
 */
public record AuditRejected(
        String eventId, String eventType, String source, String hostClaimed, String keyId, String reason)
        implements AuditPayload {

    public static final String KIND = "rejected";

    @Override
    public String kind() {
        return KIND;
    }
}
