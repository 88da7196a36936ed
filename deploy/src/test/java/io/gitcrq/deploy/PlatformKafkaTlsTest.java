package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.model.event.TopicAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GITCRQ_KAFKA_TLS=1 ./gitcrq up}: the platform's Kafka clients then speak SASL over TLS, trusting its broker. */
class PlatformKafkaTlsTest {

    @TempDir
    Path repo;

    @Test
    void theEnvironmentTurnsTlsOnAndAWrongValueIsRefusedWithItsName() {
        assertThat(PlatformSettings.local(repo, Map.of()).kafkaTls()).isFalse();
        assertThat(PlatformSettings.local(repo, Map.of("GITCRQ_KAFKA_TLS", "1")).kafkaTls())
                .isTrue();
        assertThat(PlatformSettings.local(repo, Map.of("GITCRQ_KAFKA_TLS", "false"))
                        .kafkaTls())
                .isFalse();
        assertThatThrownBy(() -> PlatformSettings.local(repo, Map.of("GITCRQ_KAFKA_TLS", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GITCRQ_KAFKA_TLS");
    }

    @Test
    void withTlsAClientTrustsThePlatformsOwnBrokerCertificateAndWithoutItSpeaksSaslOnly() throws Exception {
        Platform plain = new Platform(PlatformSettings.local(repo, Map.of()));
        assertThat(plain.kafkaTls()).isEmpty();
        assertThat(plain.kafkaClientConfig(TopicAccess.MERGE_BOT))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .doesNotContainKey("ssl.truststore.location");

        Platform tls = new Platform(PlatformSettings.local(repo, Map.of("GITCRQ_KAFKA_TLS", "1")));
        Map<String, Object> config = tls.kafkaClientConfig(TopicAccess.MERGE_BOT);
        assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        Path certificate = Path.of((String) config.get("ssl.truststore.location"));
        assertThat(certificate).startsWith(repo.resolve(".gitcrq-run"));
        assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
