package io.gitcrq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on this machine that nothing listens on, for a platform started beside another (tests, benchmarks). */
public final class FreePorts {

    private static final int LOWEST = 20000;
    private static final int SPREAD = 20000;

    private FreePorts() {}

    public static int one() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on this machine", e);
        }
    }

    /** The first of {@code count} consecutive free ports: the platform places its services by offset. */
    public static int range(int count) {
        while (true) {
            int base = LOWEST + ThreadLocalRandom.current().nextInt(SPREAD);
            if (allFree(base, count)) {
                return base;
            }
        }
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
