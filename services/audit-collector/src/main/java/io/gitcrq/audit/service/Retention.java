package io.gitcrq.audit.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.model.api.audit.ChainVerification;
import io.gitcrq.model.event.EventCodec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * skipped: deleting would destroy the evidence. Checkpoints are signed with audit-collector's own key
 * ({@link CollectorKey}), and each run that deletes is a governance record (who, the checkpoint before and after). Runs every {@code gitcrq.audit.retention-interval} and on
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
    private final CollectorKey key;
    private final GovernanceTrail governance;
    private final Clock clock;

    /** Who a scheduled run is recorded as, in the governance record of what it deleted. */
    static final String SCHEDULE = "gitcrq/audit-collector (retention schedule)";

    public Retention(
            @ConfigProperty(name = "gitcrq.audit.retention") Optional<Duration> retention,
            AuditEventRepository events,
            AuditChainRepository chains,
            ChainVerifier verifier,
            CollectorKey key,
            GovernanceTrail governance) {
        this.retention = retention;
        this.events = events;
        this.chains = chains;
        this.verifier = verifier;
        this.key = key;
        this.governance = governance;
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
        Report report = run(Optional.empty(), SCHEDULE);
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
    public Report run(Optional<String> host, String by) {
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
            HostReport report = QuarkusTransaction.requiringNew().call(() -> applyTo(h, cutoff, by));
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
    HostReport applyTo(String host, Instant cutoff, String by) {
        Optional<AuditChainRepository.Head> head = chains.lockExistingHead(host); // no appends meanwhile
        if (head.isEmpty()) {
            return new HostReport(host, 0, null, null, null);
        }
        Optional<AuditChainRepository.Checkpoint> previous = chains.latestCheckpoint(host);
        long start = previous.map(AuditChainRepository.Checkpoint::sequence).orElse(0L);
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
        // Where the host's own numbering stood at the last deleted event: verification goes on from there.
        AuditEvent lastDeleted = events.chained(host, last).orElseThrow();
        int deleted = events.deleteChainUpTo(host, last);
        AuditChainRepository.Checkpoint unsigned = new AuditChainRepository.Checkpoint(
                host,
                last,
                check.lastHash(),
                cutoff.truncatedTo(ChronoUnit.MICROS),
                deleted,
                null,
                lastDeleted.hostSeq,
                lastDeleted.keyId,
                key.keyId(),
                null);
        AuditChainRepository.Checkpoint checkpoint = new AuditChainRepository.Checkpoint(
                host,
                last,
                check.lastHash(),
                unsigned.cutoff(),
                deleted,
                null,
                lastDeleted.hostSeq,
                lastDeleted.keyId,
                key.keyId(),
                key.sign(unsigned));
        chains.addCheckpoint(checkpoint);
        ObjectNode before = EventCodec.mapper().createObjectNode().put("host", host);
        previous.ifPresentOrElse(
                p -> before.put("checkpointSequence", p.sequence()), () -> before.putNull("checkpointSequence"));
        ObjectNode after = EventCodec.mapper()
                .createObjectNode()
                .put("host", host)
                .put("checkpointSequence", last)
                .put("checkpointHash", check.lastHash())
                .put("deleted", deleted)
                .put("cutoff", unsigned.cutoff().toString())
                .put("retention", iso(retention.orElseThrow()));
        governance.recordChange(GovernanceTrail.RETENTION, by, before, after);
        return new HostReport(host, deleted, last, check.lastHash(), null);
    }
}
