package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.process.DaemonThreads;
import io.gitcrq.execagent.repository.AuditSequenceRepository;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.chain.AuditSignature;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the host's signed head ({@code AuditHeadSigned}: last hostSeq and the digest of that event's signed
 * form) every {@code gitcrq.audit.head-interval} when it moved, and once more at shutdown: what lets audit-collector's
 * verification see events cut off the end of the host's chain, or the whole chain deleted.
 */
@ApplicationScoped
public class AuditHeads {

    private static final Logger LOG = Logger.getLogger(AuditHeads.class);

    private final HostKey key;
    private final AuditSequenceRepository sequences;
    private final Outbox outbox;
    private final Duration interval;
    /** The last head published per host by this process: an unchanged head is not published again. */
    private final Map<String, Long> published = new ConcurrentHashMap<>();

    private ScheduledExecutorService scheduler;

    public AuditHeads(
            HostKey key,
            AuditSequenceRepository sequences,
            Outbox outbox,
            @ConfigProperty(name = "gitcrq.audit.head-interval") Duration interval) {
        this.key = key;
        this.sequences = sequences;
        this.outbox = outbox;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalStateException("gitcrq.audit.head-interval must be positive, not " + interval);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("audit-heads"));
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::publishQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        publishQuietly();
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot publish the signed audit head yet");
        }
    }

    /** Publishes a signed head of every host whose numbering moved since its last head; how many it published. */
    public int publish() {
        Map<String, Long> sent = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Long> heads = new HashMap<>();
            for (AuditSequenceRepository.Position p : sequences.positions()) {
                // A head states what this key signed: a position left by an earlier key is not this key's to sign.
                if (!key.keyId().equals(p.keyId()) || Long.valueOf(p.lastSeq()).equals(published.get(p.host()))) {
                    continue;
                }
                outbox.publish(AuditSignature.signHead(
                        p.host(), p.lastSeq(), p.lastDigest(), Instant.now(), key.privateKey(), key.keyId()));
                heads.put(p.host(), p.lastSeq());
            }
            return heads;
        });
        // Only once committed: a head rolled back is published again next time.
        published.putAll(sent);
        return sent.size();
    }
}
