package io.gitcrq.kit.health;

import io.gitcrq.kit.outbox.OutboxRelay;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the relay streams the outbox: without it, what the service publishes waits in its table. */
@Readiness
@ApplicationScoped
public class OutboxRelayHealthCheck implements HealthCheck {

    private final OutboxRelay relay;
    private final OutboxRelayConfig config;

    public OutboxRelayHealthCheck(OutboxRelay relay, OutboxRelayConfig config) {
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.enabled()) {
            return HealthCheckResponse.named("outbox-relay")
                    .up()
                    .withData("enabled", false)
                    .build();
        }
        return HealthCheckResponse.named("outbox-relay")
                .status(relay.isRunning())
                .withData("relayed", relay.relayedCount())
                .withData("lastError", String.valueOf(relay.lastError()))
                .build();
    }
}
