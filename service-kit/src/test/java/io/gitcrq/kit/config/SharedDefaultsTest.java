package io.gitcrq.kit.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** What service-kit's shared defaults give a service, read as SmallRye Config reads them in each profile. */
class SharedDefaultsTest {

    @Test
    void theProductionProfileHasNoUsers() {
        assertThat(userKeys(config("prod"))).isEmpty();
    }

    @Test
    void localDevAndTestProfilesHaveTheDevelopmentUsers() {
        for (String profile : new String[] {"local", "dev", "test"}) {
            SmallRyeConfig config = config(profile);
            assertThat(config.getValue("gitcrq.auth.users.\"alice\".password", String.class))
                    .as(profile)
                    .isEqualTo("alice");
            assertThat(config.getValue("gitcrq.auth.users.\"bob\".roles", String.class))
                    .as(profile)
                    .isEqualTo("approver");
        }
    }

    @Test
    void everyChannelDefaultsToTheServicesGroupAndDeadLetterTopic() {
        SmallRyeConfig config = config("prod");
        String connector = "mp.messaging.connector.smallrye-kafka.";
        assertThat(config.getValue(connector + "group.id", String.class)).isEqualTo("crq-service");
        assertThat(config.getValue(connector + "dead-letter-queue.topic", String.class))
                .isEqualTo("gitcrq.dead-letter.crq-service");
        assertThat(config.getValue(connector + "failure-strategy", String.class))
                .isEqualTo(io.gitcrq.kit.delivery.DeliveryFailureStrategy.NAME);
        assertThat(config.getValue(connector + "auto.offset.reset", String.class))
                .isEqualTo("earliest");
    }

    private static SmallRyeConfig config(String profile) {
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .addDefaultSources()
                .addDiscoveredSources()
                .withSources(
                        new PropertiesConfigSource(Map.of("quarkus.application.name", "crq-service"), "service", 250))
                .build();
    }

    private static Iterable<String> userKeys(SmallRyeConfig config) {
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith("gitcrq.auth.users"))
                .toList();
    }
}
