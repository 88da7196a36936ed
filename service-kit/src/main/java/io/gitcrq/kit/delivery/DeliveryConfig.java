package io.gitcrq.kit.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How record handling rides out infrastructure failures and a stop ({@code gitcrq.delivery.*}). */
@ConfigMapping(prefix = "gitcrq.delivery")
public interface DeliveryConfig {

    /** Tries of a record whose handling fails for the infrastructure's sake, before the channel stops (health down). */
    @WithDefault("10")
    int maxAttempts();

    /** Wait before the second try; doubled at each further try up to {@link #maxBackoff()}. */
    @WithDefault("PT0.2S")
    Duration initialBackoff();

    @WithDefault("PT10S")
    Duration maxBackoff();

    /** How long a stop waits for the records being handled to finish before the database closes. */
    @WithDefault("PT20S")
    Duration drainTimeout();
}
