package io.gitcrq.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.event.MergeSettingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;

/**
 * Changes to the rules of the process, as the services enforcing them announce them, kept as {@code governance}
 * audit records: who changed which rule of which repository, from what to what. Each enforcing service's records
 * form a hash chain of their own ({@link GovernanceChange#chainOf}). The service is the one that alone may write the
 * event's topic (merge settings: merge-bot, on the merge topic), never what the event says of itself.
 */
@ApplicationScoped
public class GovernanceTrail {

    static final String MERGE_BOT = "merge-bot";
    static final String MERGE_SETTINGS = "merge-settings";

    private final AuditChain chain;

    public GovernanceTrail(AuditChain chain) {
        this.chain = chain;
    }

    /** Chains the change unless it was stored before (a redelivery); whether it stored it. */
    @Transactional
    public boolean record(CloudEvent envelope, MergeSettingsChanged changed) {
        GovernanceChange change = new GovernanceChange(
                MERGE_BOT,
                MERGE_SETTINGS,
                changed.repo(),
                null,
                changed.changedBy(),
                EventCodec.mapper().valueToTree(changed.before()),
                EventCodec.mapper().valueToTree(changed.after()),
                envelope.type());
        return chain.append(new NewAuditEvent(
                envelope.id(),
                GovernanceChange.chainOf(MERGE_BOT),
                null,
                GovernanceChange.KIND,
                // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
                changed.changedAt().truncatedTo(ChronoUnit.MICROS),
                json(envelope, change),
                envelope.source()));
    }

    private static String json(CloudEvent envelope, GovernanceChange change) {
        try {
            return EventCodec.mapper().writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event " + envelope.id() + ": " + e.getOriginalMessage(), e);
        }
    }
}
