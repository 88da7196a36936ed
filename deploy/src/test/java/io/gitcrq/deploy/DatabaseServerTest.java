package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.testsupport.net.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseServerTest {

    @Test
    void embeddedWhenAskedForOnItsOwnPort() {
        assertThat(DatabaseServer.choose(Map.of("GITCRQ_DB", "embedded")))
                .isEqualTo(DatabaseServer.embedded(DatabaseServer.DEFAULT_EMBEDDED_PORT));
        assertThat(DatabaseServer.choose(Map.of("GITCRQ_DB", "embedded", "GITCRQ_EMBEDDED_DB_PORT", "25432")))
                .isEqualTo(new DatabaseServer(true, "127.0.0.1", 25432));
    }

    @Test
    void externalWhenAskedForEvenIfNothingAnswers() {
        int closed = FreePorts.loopback();
        assertThat(DatabaseServer.choose(Map.of("GITCRQ_DB", "external", "GITCRQ_DB_PORT", String.valueOf(closed))))
                .isEqualTo(DatabaseServer.external("127.0.0.1", closed));
    }

    @Test
    void unsetMeansTheServerThatAnswersElseEmbedded() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = listening.getLocalPort();
            assertThat(DatabaseServer.choose(Map.of("GITCRQ_DB_PORT", String.valueOf(port))))
                    .isEqualTo(DatabaseServer.external("127.0.0.1", port));
        }
        assertThat(DatabaseServer.choose(Map.of("GITCRQ_DB_PORT", String.valueOf(FreePorts.loopback())))
                        .embedded())
                .isTrue();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> DatabaseServer.choose(Map.of("GITCRQ_DB", "sqlite")))
                .hasMessageContaining("GITCRQ_DB is 'sqlite'");
        assertThatThrownBy(() -> DatabaseServer.choose(Map.of("GITCRQ_DB", "embedded", "GITCRQ_EMBEDDED_DB_PORT", "x")))
                .hasMessageContaining("not a port number");
        assertThatThrownBy(() -> DatabaseServer.embedded(70000)).hasMessageContaining("not a port");
    }
}
