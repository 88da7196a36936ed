package io.gitcrq.kit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which consumer groups the lag is measured for: each incoming channel's own, or the connector's default. */
class ConsumerGroupLagTest {

    @Test
    void everyChannelsGroupOnce() {
        var config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mp.messaging.connector.smallrye-kafka.group.id", "exec-agent",
                                "mp.messaging.incoming.crq-events.topic", "gitcrq.crq-events.v1",
                                "mp.messaging.incoming.git-events.topic", "gitcrq.git-events.v1",
                                "mp.messaging.incoming.exec-requests.topic", "gitcrq.exec-requests.v1",
                                "mp.messaging.incoming.exec-requests.group.id", "exec-agent-host1",
                                "mp.messaging.outgoing.elsewhere.topic", "gitcrq.other.v1"),
                        "test",
                        100))
                .build();

        assertThat(ConsumerGroupLag.groupsOf(config)).containsExactly("exec-agent", "exec-agent-host1");
    }
}
