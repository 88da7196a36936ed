package io.gitcrq.kafka;

import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.BrokerTls;
import io.gitcrq.model.event.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker as a process of its own, as {@code ./gitcrq up} starts it:
 * {@code java io.gitcrq.kafka.KafkaBrokerMain <data-dir> <port> <credentials-file> [<tls-dir>]}, the file holding the
 * principals' passwords ({@link BrokerCredentials}; readable by its owner only), the directory (if given) the client
 * listener's TLS material ({@link BrokerTls}, made there if missing). Event topics get
 * {@code GITCRQ_KAFKA_PARTITIONS} partitions (default {@link Topics#DEFAULT_EVENT_PARTITIONS}). Stops cleanly on
 * SIGTERM.
 */
public final class KafkaBrokerMain {

    /** Written into the data directory once the broker has its credentials, topics and ACLs. */
    public static final String READY_FILE = "ready";

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: KafkaBrokerMain <data-dir> <port> <credentials-file> [<tls-dir>]");
            System.exit(2);
        }
        String partitions = System.getenv(KafkaBroker.PARTITIONS_ENV);
        KafkaBroker broker = new KafkaBroker(
                Path.of(args[0]),
                Integer.parseInt(args[1]),
                BrokerCredentials.load(Path.of(args[2])),
                partitions == null || partitions.isBlank()
                        ? Topics.DEFAULT_EVENT_PARTITIONS
                        : Integer.parseInt(partitions.trim()),
                args.length == 4 ? BrokerTls.loadOrCreate(Path.of(args[3])) : null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                Files.deleteIfExists(Path.of(args[0]).resolve(READY_FILE));
                            } catch (IOException e) {
                                // the next start deletes it first anyway
                            }
                            broker.close();
                            stopped.countDown();
                        },
                        "kafka-broker-shutdown"));
        Path ready = Path.of(args[0]).resolve(READY_FILE);
        Files.deleteIfExists(ready);
        broker.start();
        // Credentials, topics and ACLs are in place: ./gitcrq up starts the services once this file is there.
        Files.writeString(ready, broker.bootstrapServers() + "\n");
        System.out.println("gitcrq Kafka broker ready on " + broker.bootstrapServers());
        stopped.await();
    }
}
