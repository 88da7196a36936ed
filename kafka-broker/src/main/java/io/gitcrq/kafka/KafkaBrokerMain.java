package io.gitcrq.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker as a process of its own, as {@code ./gitcrq up} starts it:
 * {@code java io.gitcrq.kafka.KafkaBrokerMain <data-dir> <port>}. Stops cleanly on SIGTERM.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <data-dir> <port>");
            System.exit(2);
        }
        KafkaBroker broker = new KafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "kafka-broker-shutdown"));
        broker.start();
        System.out.println("gitcrq Kafka broker ready on " + broker.bootstrapServers());
        stopped.await();
    }
}
