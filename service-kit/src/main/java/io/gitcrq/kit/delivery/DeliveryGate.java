package io.gitcrq.kit.delivery;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Whether record handlers may start, and how many are running or waiting to retry. A stop closes the gate first
 * (Quarkus announces the stop before it closes Hibernate and the Kafka connector) and waits for the handlers inside to
 * finish, so no handler meets a closed database and no valid record is dead-lettered or committed unhandled.
 */
@ApplicationScoped
public class DeliveryGate {

    private static final Logger LOG = Logger.getLogger(DeliveryGate.class);

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger retrying = new AtomicInteger();
    private final Object drained = new Object();
    private final Duration drainTimeout;

    public DeliveryGate(DeliveryConfig config) {
        this.drainTimeout = config.drainTimeout();
    }

    /** Enters a handler; false once the service stops. */
    boolean enter() {
        inside.incrementAndGet();
        if (stopping.get()) {
            leave();
            return false;
        }
        return true;
    }

    void leave() {
        if (inside.decrementAndGet() == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    void retrying(boolean waiting) {
        if (waiting) {
            retrying.incrementAndGet();
        } else {
            retrying.decrementAndGet();
        }
    }

    public boolean stopping() {
        return stopping.get();
    }

    public int handling() {
        return inside.get();
    }

    public int retrying() {
        return retrying.get();
    }

    /** Early among the stop's observers: before anything a handler needs is closed. */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping.set(true);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        synchronized (drained) {
            while (inside.get() > 0 && System.nanoTime() < deadline) {
                try {
                    drained.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (inside.get() > 0) {
            LOG.warnf(
                    "stopping with %d record(s) still being handled: they stay uncommitted and come again",
                    inside.get());
        } else {
            LOG.info("no record is being handled: stopping");
        }
    }
}
