package io.gitcrq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on this machine that nothing listens on, for a platform started beside another (tests, benchmarks). */
public final class FreePorts {

    /*
     * Below Linux's ephemeral range (32768 and up by default): a port the kernel hands to an outgoing connection
     * (a Kafka client, a JDBC connection) between our check and a service's bind would make the service fail to start.
     */
    private static final int LOWEST = 20000;
    private static final int SPREAD = 12000;

    private FreePorts() {}

    public static int one() {
        return range(1);
    }

    /** The first of {@code count} consecutive free ports: the platform places its services by offset. */
    public static int range(int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int base = LOWEST + ThreadLocalRandom.current().nextInt(SPREAD);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new UncheckedIOException(new IOException(
                "no " + count + " consecutive free ports between " + LOWEST + " and " + (LOWEST + SPREAD + count)));
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try {
                new ServerSocket(port).close();
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
