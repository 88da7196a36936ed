package io.gitcrq.audit.messaging;

import io.gitcrq.audit.domain.SignatureCheck;
import io.gitcrq.audit.service.AgentTrail;
import io.gitcrq.audit.service.AuditTrail;
import io.gitcrq.audit.service.GovernanceTrail;
import io.gitcrq.audit.timeline.Timeline;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.WebhookSettingsChanged;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds CRQ timelines from the Git, CRQ, merge and exec topics. audit-collector reads no other service's
 * tables: what a timeline shows of a CRQ is what these events said. Entries are keyed by event id and CRQ, so
 * no inbox is needed and records are filed by several writers at once, in any order (a timeline sorts by
 * time). A record that is not a readable event is dead-lettered, as on the audit topic.
 */
@ApplicationScoped
public class TimelineConsumer {

    private final Timeline timeline;
    private final GovernanceTrail governance;
    private final AgentTrail agents;
    private final AuditTrail trail;

    public TimelineConsumer(Timeline timeline, GovernanceTrail governance, AgentTrail agents, AuditTrail trail) {
        this.timeline = timeline;
        this.governance = governance;
        this.agents = agents;
        this.trail = trail;
    }

    /**
     * A change of a repository's webhook settings or policy, or the end of watching it, goes to the governance trail (only git-watcher may write this topic,
     * so only here is it believed), anything else to timelines.
     */
    @GuardedDelivery
    @Incoming("git-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void git(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof WebhookSettingsChanged changed) {
            governance.record(envelope, changed);
        } else if (data instanceof RepoPolicyChanged changed) {
            governance.record(envelope, changed);
        } else if (data instanceof RepoUnwatched unwatched) {
            governance.record(envelope, unwatched);
        } else {
            timeline.consume(envelope, data);
        }
    }

    @GuardedDelivery
    @Incoming("crq-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void crq(String record) {
        toTimeline(record);
    }

    /** A change of a repository's merge settings goes to the governance trail (merge-bot's topic), anything else to timelines. */
    @GuardedDelivery
    @Incoming("merge-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void merge(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof MergeSettingsChanged changed) {
            governance.record(envelope, changed);
        } else {
            timeline.consume(envelope, data);
        }
    }

    @GuardedDelivery
    @Incoming("exec-requests")
    @Blocking(value = "timeline-writers", ordered = false)
    public void execRequests(String record) {
        toTimeline(record);
    }

    /**
     * An exec's end is shown only when its host signed it (any host may write this topic): a refused one is
     * dead-lettered (and recorded, {@link AuditTrail#execEnd}), one signed with a key not registered yet is skipped.
     */
    @GuardedDelivery
    @Incoming("exec-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void exec(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof ExecFinished end) {
            SignatureCheck.Verdict verdict = trail.execEnd(envelope, end);
            if (verdict.outcome() == SignatureCheck.Outcome.REJECT) {
                throw new RefusedEventException(envelope.id(), verdict.reason());
            }
            if (verdict.outcome() == SignatureCheck.Outcome.HOLD) {
                return;
            }
        }
        timeline.consume(envelope, data);
    }

    /**
     * An agent's MCP tool call (mcp-server alone writes this topic) goes to mcp-server's chain, the CRQ's record when
     * it names one; other event types of the topic are skipped.
     */
    @GuardedDelivery
    @Incoming("agent-events")
    @Blocking(value = "timeline-writers", ordered = false)
    public void agent(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof AgentToolCalled called) {
            agents.record(envelope, called);
        }
    }

    /** A record that is not a readable event throws here, and the channel dead-letters it. */
    private void toTimeline(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        timeline.consume(envelope, EventCodec.dataOf(envelope));
    }
}
