package io.gitcrq.crq.messaging;

import io.gitcrq.crq.service.CrqLifecycle;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.policy.CrqId;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A merge moves its CRQ on; why merge-bot blocks or holds an approved CRQ is recorded on the CRQ, where people
 * look for it. A CRQ's merge events share its key, so the latest one read is merge-bot's latest word.
 */
@ApplicationScoped
public class MergeEventsConsumer {

    private final Inbox inbox;
    private final CrqLifecycle lifecycle;

    public MergeEventsConsumer(Inbox inbox, CrqLifecycle lifecycle) {
        this.inbox = inbox;
        this.lifecycle = lifecycle;
    }

    @GuardedDelivery
    @Incoming("merge-events")
    @Blocking // ordered: one record at a time per channel, so a key's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof BranchMerged merged) {
            lifecycle.merged(CrqId.parse(merged.crqId()), merged.mergeCommit(), merged.targetBranch());
        } else if (event instanceof MergeBlocked blocked) {
            lifecycle.mergeBlocked(CrqId.parse(blocked.crqId()), blocked.reason());
        } else if (event instanceof MergeWaiting waiting) {
            lifecycle.mergeWaiting(CrqId.parse(waiting.crqId()), waiting.reason());
        }
    }
}
