package io.gitcrq.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Starts one real broker per test JVM, shared by every {@code @QuarkusTest} of a module, and points the
 * application at it. Use with {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            try {
                broker = new KafkaBroker(Files.createTempDirectory("gitcrq-kafka-"), 0).start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-shutdown"));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives one application: the next test class of this JVM reuses it.
    }
}
