package io.gitcrq.kit.health;

import io.gitcrq.kit.outbox.OutboxRelay;
import io.gitcrq.kit.outbox.OutboxRelayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the relay streams the outbox, or while another instance of the service does ("relay: standby"): this
 * instance serves its API and consumes all the same, and takes over when that one goes. Down while this instance
 * should relay and does not: what the service publishes then waits in its table.
 */
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
        OutboxRelay.Role role = relay.role();
        return HealthCheckResponse.named("outbox-relay")
                .status(role == OutboxRelay.Role.STANDBY || (role == OutboxRelay.Role.ACTIVE && relay.isRunning()))
                .withData("relay", role.name().toLowerCase(java.util.Locale.ROOT))
                .withData("relayed", relay.relayedCount())
                .withData("lastError", String.valueOf(relay.lastError()))
                .build();
    }
}
