package io.gitcrq.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for what a platform does asynchronously: done as soon as the condition holds, failed past the timeout. */
final class Waits {

    private Waits() {}

    /** Polls {@code condition} every {@code pollEvery} until it holds; an AssertionError naming {@code what} after {@code timeout}. */
    static void until(String what, Duration timeout, Duration pollEvery, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(pollEvery.toMillis());
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    /** As {@link #until(String, Duration, Duration, BooleanSupplier)}; a timeout also says what {@code state} shows then. */
    static void until(
            String what, Duration timeout, Duration pollEvery, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        try {
            until(what, timeout, pollEvery, condition);
        } catch (AssertionError e) {
            String now;
            try {
                now = state.get();
            } catch (RuntimeException unreadable) {
                // The service that would say may be the one that is down: the timeout is still what failed.
                now = "cannot tell (" + unreadable + ")";
            }
            throw new AssertionError(e.getMessage() + "; now: " + now, e);
        }
    }
}
