package io.gitcrq.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.model.api.audit.ChainVerification;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Retention by age ({@code gitcrq.audit.retention}, an ISO-8601 duration such as {@code P365D}; off when
 * unset): deletes, per host, the events older than the cutoff from the start of the host's chain only, and
 * stops at the first event that is not older (an old event appended after a newer one waits for it). What is
 * deleted is verified first, and its last hash is recorded as a checkpoint (host, sequence, hash) from which
 * verification of what stays starts, so it still passes. A host whose chain is broken in the part to delete is
 * skipped: deleting would destroy the evidence. Runs every {@code gitcrq.audit.retention-interval} and on
 * {@code POST /audit/retention}.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    /** What one run did. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(String retention, Instant cutoff, long deleted, List<HostReport> hosts) {}

    /** What a run did to one host's chain: deleted events up to a new checkpoint, or skipped it and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostReport(
            String host, long deleted, Long checkpointSequence, String checkpointHash, String skipped) {}

    private final Optional<Duration> retention;
    private final AuditEventRepository events;
    private final AuditChainRepository chains;
    private final ChainVerifier verifier;
    private final Clock clock;

    public Retention(
            @ConfigProperty(name = "gitcrq.audit.retention") Optional<Duration> retention,
            AuditEventRepository events,
            AuditChainRepository chains,
            ChainVerifier verifier) {
        this.retention = retention;
        this.events = events;
        this.chains = chains;
        this.verifier = verifier;
        this.clock = Clock.systemUTC();
    }

    void checkConfiguration(@Observes StartupEvent event) {
        if (retention.isPresent()) {
            cutoff(retention, Instant.EPOCH); // a zero or negative retention fails the start, not the first run
            LOG.infof("audit retention: events older than %s are deleted", retention.get());
        }
    }

    /** The cutoff for a run at {@code now}: 409 when retention is off, an error for a retention that is not positive. */
    static Instant cutoff(Optional<Duration> retention, Instant now) {
        if (retention.isEmpty()) {
            throw new ConflictException(
                    "audit retention is off: set gitcrq.audit.retention (e.g. P365D) to delete " + "old audit events");
        }
        if (retention.get().isNegative() || retention.get().isZero()) {
            throw new IllegalStateException(
                    "gitcrq.audit.retention must be a positive duration, not " + retention.get());
        }
        return now.minus(retention.get());
    }

    @Scheduled(
            every = "${gitcrq.audit.retention-interval}",
            delayed = "${gitcrq.audit.retention-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (retention.isEmpty()) {
            return;
        }
        Report report = run(Optional.empty());
        if (report.deleted() > 0 || !report.hosts().isEmpty()) {
            LOG.infof(
                    "audit retention deleted %d event(s) older than %s: %s",
                    report.deleted(), report.cutoff(), report.hosts());
        }
    }

    /**
     * Applies retention to one host (404 if unknown) or to every host with a chain; each host in a transaction
     * of its own. The report lists the hosts where something was deleted or skipped.
     */
    public Report run(Optional<String> host) {
        Instant cutoff = cutoff(retention, clock.instant());
        List<String> hosts;
        if (host.isPresent()) {
            if (!QuarkusTransaction.requiringNew().call(() -> chains.knows(host.get()))) {
                throw new EntityNotFoundException("no audit events of host " + host.get());
            }
            hosts = List.of(host.get());
        } else {
            hosts = QuarkusTransaction.requiringNew().call(chains::chainedHosts);
        }
        List<HostReport> reports = new ArrayList<>();
        long deleted = 0;
        for (String h : hosts) {
            HostReport report = QuarkusTransaction.requiringNew().call(() -> applyTo(h, cutoff));
            if (report.deleted() > 0 || report.skipped() != null) {
                reports.add(report);
                deleted += report.deleted();
            }
        }
        return new Report(iso(retention.get()), cutoff, deleted, reports);
    }

    /** A retention as it is usually written: whole days as P365D (Duration.toString would say PT8760H). */
    static String iso(Duration retention) {
        return retention.toSeconds() % 86_400 == 0 && retention.getNano() == 0
                ? "P" + retention.toDays() + "D"
                : retention.toString();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    HostReport applyTo(String host, Instant cutoff) {
        Optional<AuditChainRepository.Head> head = chains.lockExistingHead(host); // no appends meanwhile
        if (head.isEmpty()) {
            return new HostReport(host, 0, null, null, null);
        }
        long start = chains.latestCheckpoint(host)
                .map(AuditChainRepository.Checkpoint::sequence)
                .orElse(0L);
        long last = events.firstSequenceFrom(host, cutoff)
                .map(first -> first - 1)
                .orElse(head.get().lastSequence());
        if (last <= start) {
            return new HostReport(host, 0, null, null, null);
        }
        ChainVerification check = verifier.verifyHost(host, last);
        if (!check.ok()) {
            LOG.warnf(
                    "audit retention skipped host %s: its chain is broken at sequence %s (%s)",
                    host, check.sequence(), check.reason());
            return new HostReport(
                    host,
                    0,
                    null,
                    null,
                    "chain broken at sequence " + check.sequence() + ": " + check.reason() + "; nothing deleted");
        }
        int deleted = events.deleteChainUpTo(host, last);
        chains.addCheckpoint(host, last, check.lastHash(), cutoff, deleted);
        return new HostReport(host, deleted, last, check.lastHash(), null);
    }
}
