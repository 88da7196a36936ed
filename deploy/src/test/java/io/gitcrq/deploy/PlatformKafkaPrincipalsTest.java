package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.TopicAccess;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gitcrq up}'s Kafka principals: one per central service, and this machine's exec-agent as its host. */
class PlatformKafkaPrincipalsTest {

    @TempDir
    Path repo;

    @Test
    void theLocalExecAgentSignsInAsItsHostAndTheCredentialsFileHasThatHostsPassword() throws Exception {
        Platform platform = new Platform(PlatformSettings.local(repo, Map.of("GITCRQ_EXEC_HOST", "devbox-3")));

        assertThat(platform.execHost()).isEqualTo("devbox-3");
        assertThat(platform.kafkaPrincipal(TopicAccess.EXEC_AGENT)).isEqualTo("exec-agent-devbox-3");
        assertThat(platform.kafkaPrincipal(TopicAccess.MERGE_BOT)).isEqualTo(TopicAccess.MERGE_BOT);
        assertThat(platform.kafkaCredentials().execAgentHosts()).containsExactly("devbox-3");
        assertThat(BrokerCredentials.load(platform.kafkaCredentialsFile()).password("exec-agent-devbox-3"))
                .isEqualTo(platform.kafkaCredentials().password("exec-agent-devbox-3"));
        assertThat((String) platform.kafkaClientConfig("exec-agent-devbox-3").get("sasl.jaas.config"))
                .contains("username=\"exec-agent-devbox-3\"");
    }

    @Test
    void withoutGitcrqExecHostTheHostIsTheMachinesNameAsExecAgentTakesIt() throws Exception {
        Platform platform = new Platform(PlatformSettings.local(repo, Map.of()));
        assertThat(platform.execHost()).isEqualTo(InetAddress.getLocalHost().getHostName());
    }

    @Test
    void aHostNameThatCannotNameAPrincipalIsRefusedNamingTheVariable() {
        Platform platform = new Platform(PlatformSettings.local(repo, Map.of("GITCRQ_EXEC_HOST", "crqs-a")));
        assertThatThrownBy(platform::execHost)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GITCRQ_EXEC_HOST");
        assertThatThrownBy(platform::kafkaCredentials).isInstanceOf(IllegalArgumentException.class);
    }
}
