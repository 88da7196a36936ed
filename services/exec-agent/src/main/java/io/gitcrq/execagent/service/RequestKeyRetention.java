package io.gitcrq.execagent.service;

import io.gitcrq.execagent.repository.ExecRequestKeyRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Forgets idempotency keys a day after their request: long past any client's retries (Stripe keeps keys for 24
 * hours too), and the table stays small.
 */
@ApplicationScoped
public class RequestKeyRetention {

    public static final Duration KEPT = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(RequestKeyRetention.class);

    private final ExecRequestKeyRepository keys;

    public RequestKeyRetention(ExecRequestKeyRepository keys) {
        this.keys = keys;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void forgetOldKeys() {
        int forgotten = keys.forgetBefore(Instant.now().minus(KEPT));
        if (forgotten > 0) {
            LOG.infof("forgot %d idempotency keys older than %s", forgotten, KEPT);
        }
    }
}
