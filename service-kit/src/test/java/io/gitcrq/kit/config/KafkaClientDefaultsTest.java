package io.gitcrq.kit.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How every Kafka client of a service signs in, as service-kit's shared defaults configure it. */
class KafkaClientDefaultsTest {

    @Test
    void aServiceSignsInAsItsOwnPrincipalWithSaslScramAndThePasswordFromTheEnvironment() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultSources()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(
                        Map.of("quarkus.application.name", "merge-bot", "GITCRQ_KAFKA_PASSWORD", "s3cret"),
                        "service",
                        250))
                .build();
        assertThat(config.getValue("kafka.security.protocol", String.class)).isEqualTo("SASL_PLAINTEXT");
        assertThat(config.getValue("kafka.sasl.mechanism", String.class)).isEqualTo("SCRAM-SHA-512");
        assertThat(config.getValue("kafka.sasl.jaas.config", String.class))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"merge-bot\" password=\"s3cret\";");
    }

    @Test
    void withoutAPasswordTheServiceStillStartsAndTheBrokerRefusesIt() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultSources()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(Map.of("quarkus.application.name", "crq-service"), "s", 250))
                .build();
        assertThat(config.getValue("kafka.sasl.jaas.config", String.class))
                .endsWith("username=\"crq-service\" password=\"\";");
    }
}
