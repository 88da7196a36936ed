package io.gitcrq.console.messaging;

import io.gitcrq.console.service.ReadModel;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every topic of gitcrq ({@code Topics.ALL}), one channel each, into the read model. Each record is handled once
 * (the inbox, in the transaction of its effect); a record that is not a readable event is dead-lettered; an event
 * type the console does not know is skipped.
 */
@ApplicationScoped
public class TopicsConsumer {

    private final Inbox inbox;
    private final ReadModel readModel;

    public TopicsConsumer(Inbox inbox, ReadModel readModel) {
        this.inbox = inbox;
        this.readModel = readModel;
    }

    @GuardedDelivery
    @Incoming("git-events")
    @Blocking // ordered: a key's events apply in order
    @Transactional
    public void git(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("crq-events")
    @Blocking
    @Transactional
    public void crq(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("merge-events")
    @Blocking
    @Transactional
    public void merge(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("exec-requests")
    @Blocking
    @Transactional
    public void execRequests(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("exec-events")
    @Blocking
    @Transactional
    public void exec(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("audit-events")
    @Blocking
    @Transactional
    public void audit(String record) {
        consume(record);
    }

    @GuardedDelivery
    @Incoming("agent-events")
    @Blocking
    @Transactional
    public void agent(String record) {
        consume(record);
    }

    private void consume(String record) {
        DomainEvent data = inbox.firstDelivery(record);
        if (data != null) {
            CloudEvent envelope = EventCodec.parse(record);
            readModel.apply(envelope, data);
        }
    }
}
