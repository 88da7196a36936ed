package io.gitcrq.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.audit.domain.NewAuditEvent;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.WebhookSettingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Changes to the rules of the process, as the services enforcing them announce them, kept as {@code governance}
 * audit records: who changed which rule of which repository, from what to what. Each enforcing service's records
 * form a hash chain of their own ({@link GovernanceChange#chainOf}). The service is the one that alone may write the
 * event's topic (merge settings: merge-bot, on the merge topic; webhook settings, repository policies and the end of
 * watching a repository: git-watcher, on the Git topic), never what the event says of itself; audit-collector's own
 * rules (host keys, retention) are in its own trail.
 */
@ApplicationScoped
public class GovernanceTrail {

    static final String MERGE_BOT = "merge-bot";
    static final String MERGE_SETTINGS = "merge-settings";
    static final String GIT_WATCHER = "git-watcher";
    static final String WEBHOOK = "webhook";
    static final String REPO_POLICY = "repo-policy";
    static final String WATCH = "watch";
    static final String AUDIT_COLLECTOR = "audit-collector";
    /** audit-collector's own rules: which keys hosts sign with, and retention. */
    static final String HOST_KEYS = "host-keys";

    static final String RETENTION = "retention";

    private final AuditChain chain;

    public GovernanceTrail(AuditChain chain) {
        this.chain = chain;
    }

    /** Chains a change of merge settings unless it was stored before (a redelivery); whether it stored it. */
    @Transactional
    public boolean record(CloudEvent envelope, MergeSettingsChanged changed) {
        return record(
                envelope,
                new GovernanceChange(
                        MERGE_BOT,
                        MERGE_SETTINGS,
                        changed.repo(),
                        null,
                        changed.changedBy(),
                        EventCodec.mapper().valueToTree(changed.before()),
                        EventCodec.mapper().valueToTree(changed.after()),
                        envelope.type()),
                changed.changedAt());
    }

    /** Chains a change of webhook settings (never the secret: whether it was replaced) unless stored before. */
    @Transactional
    public boolean record(CloudEvent envelope, WebhookSettingsChanged changed) {
        ObjectNode before = EventCodec.mapper().createObjectNode().put("webhookName", changed.webhookNameBefore());
        ObjectNode after = EventCodec.mapper()
                .createObjectNode()
                .put("webhookName", changed.webhookNameAfter())
                .put("secretReplaced", changed.secretReplaced());
        return record(
                envelope,
                new GovernanceChange(
                        GIT_WATCHER,
                        WEBHOOK,
                        changed.repo(),
                        null,
                        changed.changedBy(),
                        before,
                        after,
                        envelope.type()),
                changed.changedAt());
    }

    /**
     * Chains a change of the policy governing a repository unless stored before. No person is known (a git config
     * file and a service's configuration do not say who edited them): {@code changedBy} names where the rule now
     * applying is set.
     */
    @Transactional
    public boolean record(CloudEvent envelope, RepoPolicyChanged changed) {
        String setIn = "repository".equals(changed.after().source())
                ? "the git config of " + changed.repo()
                : "git-watcher's configuration (gitcrq.policy)";
        return record(
                envelope,
                new GovernanceChange(
                        GIT_WATCHER,
                        REPO_POLICY,
                        changed.repo(),
                        null,
                        setIn,
                        changed.before() == null ? null : EventCodec.mapper().valueToTree(changed.before()),
                        EventCodec.mapper().valueToTree(changed.after()),
                        envelope.type()),
                changed.detectedAt());
    }

    /** Chains the end of watching a repository (its pushes no longer checked nor merged) unless stored before. */
    @Transactional
    public boolean record(CloudEvent envelope, RepoUnwatched unwatched) {
        return record(
                envelope,
                new GovernanceChange(
                        GIT_WATCHER,
                        WATCH,
                        unwatched.repo(),
                        null,
                        unwatched.unwatchedBy(),
                        EventCodec.mapper().createObjectNode().put("watched", true),
                        EventCodec.mapper().createObjectNode().put("watched", false),
                        envelope.type()),
                unwatched.unwatchedAt());
    }

    /** A change of one of audit-collector's own rules, by {@code changedBy}, chained in its own trail. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordChange(String rule, String changedBy, JsonNode before, JsonNode after) {
        recordOwn(
                UUID.randomUUID().toString(),
                new GovernanceChange(AUDIT_COLLECTOR, rule, null, null, changedBy, before, after, null));
    }

    /**
     * Chains a record of audit-collector's own in its trail (the chain {@code gitcrq/audit-collector}): its id is
     * derived from {@code idSeed}, so the same record made twice (a redelivery) is stored once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordOwn(String idSeed, AuditPayload payload) {
        try {
            return chain.append(new NewAuditEvent(
                    UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8))
                            .toString(),
                    GovernanceChange.chainOf(AUDIT_COLLECTOR),
                    null,
                    payload.kind(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS),
                    EventCodec.mapper().writeValueAsString(payload),
                    GovernanceChange.chainOf(AUDIT_COLLECTOR)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit record of audit-collector", e);
        }
    }

    private boolean record(CloudEvent envelope, GovernanceChange change, Instant changedAt) {
        return chain.append(new NewAuditEvent(
                envelope.id(),
                GovernanceChange.chainOf(change.service()),
                null,
                GovernanceChange.KIND,
                // PostgreSQL keeps microseconds: the hash is computed over the instant exactly as it is stored.
                changedAt.truncatedTo(ChronoUnit.MICROS),
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
