package io.gitcrq.kit.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The failure strategy of every channel ({@code failure-strategy=gitcrq}, set once for the connector): a record that
 * cannot be read, or that our code could not handle for a reason of its own, goes to the service's dead-letter topic
 * and consumption goes on; once the service stops ({@link DeliveryGate}), no record is dead-lettered, whatever failed
 * (the worker pool shut down before its handler ran, say): each is left unacknowledged (not committed: the next start
 * handles it); a record whose handling failed for the infrastructure's sake, after the retries of
 * {@link DeliveryGuard}, stops the channel without committing it (health down, so an orchestrator restarts the
 * service, which then handles it again).
 */
@ApplicationScoped
@Identifier(DeliveryFailureStrategy.NAME)
public class DeliveryFailureStrategy implements KafkaFailureHandler.Factory {

    public static final String NAME = "gitcrq";
    private static final Logger LOG = Logger.getLogger(DeliveryFailureStrategy.class);

    private final KafkaFailureHandler.Factory deadLetter;
    private final KafkaFailureHandler.Factory failStop;
    private final MeterRegistry registry;
    private final DeliveryGate gate;

    public DeliveryFailureStrategy(
            @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetter,
            @Identifier(KafkaFailureHandler.Strategy.FAIL) KafkaFailureHandler.Factory failStop,
            MeterRegistry registry,
            DeliveryGate gate) {
        this.deadLetter = deadLetter;
        this.failStop = failStop;
        this.registry = registry;
        this.gate = gate;
    }

    @Override
    public KafkaFailureHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler toDeadLetter = deadLetter.create(config, vertx, consumer, reportFailure);
        KafkaFailureHandler toStop = failStop.create(config, vertx, consumer, reportFailure);
        String channel = config.getChannel();
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (gate.stopping()) { // a handler's ServiceStoppingException comes only once it is
                    LOG.debugf(
                            "%s: record %s-%d@%d left for after the restart (%s)",
                            channel, record.getTopic(), record.getPartition(), record.getOffset(), reason);
                    // Neither acknowledged nor failed: the commit stays before it.
                    return Uni.createFrom().nothing();
                }
                if (DeliveryFailures.unreadable(reason) || !DeliveryFailures.ofInfrastructure(reason)) {
                    Counter.builder("gitcrq.delivery.dead.lettered")
                            .description("Records sent to the service's dead-letter topic")
                            .tag("channel", channel)
                            .tag("reason", DeliveryFailures.unreadable(reason) ? "unreadable" : "handler_failure")
                            .register(registry)
                            .increment();
                    return toDeadLetter.handle(record, reason, metadata);
                }
                Counter.builder("gitcrq.delivery.channel.stops")
                        .description("Channels stopped on a record the infrastructure kept failing (not committed)")
                        .tag("channel", channel)
                        .register(registry)
                        .increment();
                LOG.errorf(
                        "%s: record %s-%d@%d could not be handled for the infrastructure's sake; the channel stops "
                                + "without committing it: %s",
                        channel, record.getTopic(), record.getPartition(), record.getOffset(), reason.toString());
                return toStop.handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                toDeadLetter.terminate();
                toStop.terminate();
            }
        };
    }
}
