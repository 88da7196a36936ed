package io.gitcrq.audit.service;

import io.gitcrq.audit.repository.AuditEventRepository;
import io.gitcrq.kit.db.DatabaseBootstrap;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Chains audit rows stored before the hash chain existed (or by an older instance during an upgrade): at
 * start, right after the database is migrated and before consumption begins, each host's unchained rows
 * are appended to its chain in the order they were received. Nothing to do on a store that was always chained.
 */
@ApplicationScoped
public class ChainBackfill {

    private static final Logger LOG = Logger.getLogger(ChainBackfill.class);
    private static final int BATCH = 500;

    private final AuditEventRepository events;
    private final AuditChain chain;

    public ChainBackfill(AuditEventRepository events, AuditChain chain) {
        this.events = events;
        this.chain = chain;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 1) StartupEvent event) {
        run();
    }

    public void run() {
        List<String> hosts = QuarkusTransaction.requiringNew().call(events::hostsWithUnchainedRows);
        for (String host : hosts) {
            int total = 0;
            int batch;
            do {
                batch = QuarkusTransaction.requiringNew().call(() -> chain.chainStoredRows(host, BATCH));
                total += batch;
            } while (batch == BATCH);
            LOG.infof("chained %d audit event(s) of host %s stored before hash chains", total, host);
        }
    }
}
