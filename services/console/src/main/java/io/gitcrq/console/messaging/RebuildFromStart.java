package io.gitcrq.console.messaging;

import io.gitcrq.console.service.ReadModelStart;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Rewinds each partition to its start, once per process, when the console started on a new database: the read model
 * is then rebuilt from the topics even where the consumer group kept offsets of an earlier database. (A new group
 * starts at the earliest offset anyway.) The inbox makes the rewind harmless for anything seen twice.
 */
@ApplicationScoped
@Identifier(RebuildFromStart.NAME)
public class RebuildFromStart implements KafkaConsumerRebalanceListener {

    static final String NAME = "console-rebuild";

    private final ReadModelStart start;
    private final Set<TopicPartition> rewound = ConcurrentHashMap.newKeySet();

    public RebuildFromStart(ReadModelStart start) {
        this.start = start;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!start.rebuilding()) {
            return;
        }
        var fresh = partitions.stream().filter(rewound::add).toList();
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }
}
