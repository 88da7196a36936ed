package io.gitcrq.kit.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while stopping, or while a record waits to be tried again because the infrastructure failed. */
@Readiness
@ApplicationScoped
public class DeliveryHealthCheck implements HealthCheck {

    private final DeliveryGate gate;

    public DeliveryHealthCheck(DeliveryGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("event-delivery")
                .status(!gate.stopping() && gate.retrying() == 0)
                .withData("stopping", gate.stopping())
                .withData("handling", gate.handling())
                .withData("retrying", gate.retrying())
                .build();
    }
}
