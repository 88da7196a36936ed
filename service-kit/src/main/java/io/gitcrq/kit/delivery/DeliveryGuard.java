package io.gitcrq.kit.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The {@link GuardedDelivery} interceptor. Ordered before {@code @Transactional}'s interceptor, so that each try runs in
 * a transaction of its own. A failure of the infrastructure is tried again with doubling waits, up to
 * {@code gitcrq.delivery.max-attempts}; then, or when the service stops meanwhile, the failure goes to the channel,
 * whose failure strategy ({@link DeliveryFailureStrategy}) stops it without committing the record.
 */
@GuardedDelivery
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class DeliveryGuard {

    private static final Logger LOG = Logger.getLogger(DeliveryGuard.class);

    private final DeliveryGate gate;
    private final DeliveryConfig config;
    private final MeterRegistry registry;

    public DeliveryGuard(DeliveryGate gate, DeliveryConfig config, MeterRegistry registry) {
        this.gate = gate;
        this.config = config;
        this.registry = registry;
    }

    @AroundInvoke
    Object guard(InvocationContext invocation) throws Exception {
        String handler = invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                + invocation.getMethod().getName();
        if (!gate.enter()) {
            throw new ServiceStoppingException(handler);
        }
        try {
            Duration backoff = config.initialBackoff();
            for (int attempt = 1; ; attempt++) {
                try {
                    return invocation.proceed();
                } catch (Exception failure) {
                    if (!DeliveryFailures.ofInfrastructure(failure)
                            || attempt >= config.maxAttempts()
                            || gate.stopping()) {
                        throw failure;
                    }
                    Counter.builder("gitcrq.delivery.retries")
                            .description("Handlings of a record tried again after the infrastructure failed")
                            .tag("handler", handler)
                            .register(registry)
                            .increment();
                    LOG.warnf(
                            "%s failed for the infrastructure's sake (try %d of %d), trying again in %d ms: %s",
                            handler, attempt, config.maxAttempts(), backoff.toMillis(), rootMessage(failure));
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0
                            ? config.maxBackoff()
                            : backoff.multipliedBy(2);
                }
            }
        } finally {
            gate.leave();
        }
    }

    private void pause(Duration backoff) throws InterruptedException {
        gate.retrying(true);
        try {
            Thread.sleep(backoff.toMillis());
        } finally {
            gate.retrying(false);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
