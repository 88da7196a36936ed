package io.gitcrq.execagent.audit;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.execagent.audit.AuditLedger.Captured;
import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.process.DaemonThreads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes what the audit sources of every exec deliver and publishes it in small transactions: one thread drains
 * whatever is queued, up to {@code gitcrq.exec.audit.batch-size} records at a time, so a busy source costs a
 * transaction per batch rather than per record. The queue is bounded: while it is full a source's delivery waits,
 * and that source's own bounded queue drops and counts what it cannot hold (its summary says so).
 */
@ApplicationScoped
public class AuditPublisher {

    static final int QUEUE = 10_000;
    /** A batch that keeps failing is retried this often, then published record by record. */
    private static final int ATTEMPTS = 5;

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class);

    private final AuditLedger ledger;
    private final int batchSize;
    private final BlockingQueue<Captured> queue = new LinkedBlockingQueue<>(QUEUE);
    private Thread drainer;
    private volatile boolean closing;

    public AuditPublisher(AuditLedger ledger, ExecAgentConfig config) {
        this.ledger = ledger;
        this.batchSize = Math.max(1, config.audit().batchSize());
    }

    @PostConstruct
    void start() {
        drainer = DaemonThreads.named("exec-audit-publisher").newThread(this::drain);
        drainer.start();
    }

    /** Queues a record of an exec's source for publication; waits while the queue is full. */
    public void offer(AuditContext context, AuditRecord record) {
        try {
            queue.put(new Captured(context, record));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing an audit record of exec " + context.execId());
        }
    }

    private void drain() {
        List<Captured> batch = new ArrayList<>(batchSize);
        while (!closing || !queue.isEmpty()) {
            try {
                Captured first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                publish(batch);
            } catch (InterruptedException e) {
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** The database may be away for a moment: a batch is retried; one that keeps failing goes record by record. */
    private void publish(List<Captured> batch) throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                ledger.publish(batch);
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "cannot publish %d audit records yet (attempt %d of %d)", batch.size(), attempt, ATTEMPTS);
                TimeUnit.MILLISECONDS.sleep(200L * attempt);
            }
        }
        for (Captured one : batch) {
            try {
                ledger.publish(List.of(one));
            } catch (RuntimeException e) {
                LOG.errorf(
                        e,
                        "audit record %s of exec %s lost",
                        one.record().kind(),
                        one.context().execId());
            }
        }
    }

    /** What is queued still goes out (for a few seconds at most). */
    @PreDestroy
    void stop() {
        closing = true;
        try {
            drainer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainer.interrupt();
    }
}
