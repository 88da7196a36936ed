package io.gitcrq.testsupport.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for tests that must name one before something listens on it. */
public final class FreePorts {

    private FreePorts() {}

    /**
     * A loopback port nothing listens on: one the kernel just handed out and that was closed again (another process
     * may take it in between, which tests accept).
     */
    public static int loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
