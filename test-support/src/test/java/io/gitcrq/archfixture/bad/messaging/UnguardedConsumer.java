package io.gitcrq.archfixture.bad.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Bad: a channel handler a stop would let meet a closed database. */
public class UnguardedConsumer {
    @Incoming("crq-events")
    public void consume(String record) {}
}
