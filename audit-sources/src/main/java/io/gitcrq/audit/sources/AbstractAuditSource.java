package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.SourceSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Common plumbing: a bounded delivery queue (a full queue drops the record and counts it), one delivery thread per
 * source, idempotent stop, exact counters ({@link SourceCounters}: every event seen is counted captured or dropped,
 * with the reason, under one lock) and the final {@code <kind>.summary} record.
 */
public abstract class AbstractAuditSource implements AuditSource {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    private static final AuditRecord POISON = AuditRecord.of("poison", Map.of());

    private final String kind;
    private final BlockingQueue<AuditRecord> queue;
    private final int capacity;
    private final Object counts = new Object();
    private long seen;
    private long captured;
    private final Map<String, Long> droppedBy = new TreeMap<>();
    private volatile boolean fellBehind;
    private final AtomicLong sinkFailures = new AtomicLong();
    private Consumer<AuditRecord> sink;
    private Thread delivery;
    private boolean started;
    private boolean stopped;
    private SourceCounters finalCounters;

    protected AbstractAuditSource(String kind, int queueCapacity) {
        this.kind = kind;
        this.queue = new ArrayBlockingQueue<>(queueCapacity + 2); // +2: summary and poison always fit
        this.capacity = queueCapacity;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final synchronized void start(AuditTarget target, Consumer<AuditRecord> sink) throws IOException {
        if (started) {
            throw new IllegalStateException(kind + " source already started");
        }
        started = true;
        this.sink = sink;
        delivery = new Thread(this::deliver, "audit-" + kind + "-delivery");
        delivery.setDaemon(true);
        delivery.start();
        try {
            doStart(target == null ? AuditTarget.none() : target);
        } catch (IOException | RuntimeException e) {
            try {
                doStop();
            } catch (RuntimeException ignored) {
                // best effort cleanup
            }
            stopped = true;
            queue.offer(POISON);
            throw e;
        }
    }

    @Override
    public final synchronized SourceCounters stop() {
        if (!started) {
            return counters();
        }
        if (stopped) {
            return finalCounters != null ? finalCounters : counters();
        }
        stopped = true;
        String stopError = null;
        try {
            doStop();
        } catch (RuntimeException e) {
            stopError = String.valueOf(e);
        }
        finalCounters = counters();
        queue.offer(summary(finalCounters, stopError));
        queue.offer(POISON);
        try {
            delivery.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return finalCounters;
    }

    /**
     * The {@code <kind>.summary} record: the counters, then this source's own totals ({@link #summary(SourceCounters,
     * String, Long)}), or {@code stopError} instead when stopping failed, then {@code sinkFailures} when the sink threw.
     */
    final AuditRecord summary(SourceCounters counters, String stopError) {
        Long failures = sinkFailures.get() > 0 ? sinkFailures.get() : null;
        if (stopError == null) {
            try {
                return summaryRecord(summary(counters, null, failures));
            } catch (RuntimeException e) {
                stopError = String.valueOf(e);
            }
        }
        return summaryRecord(summary(counters, stopError, failures));
    }

    private AuditRecord summaryRecord(AuditPayload summary) {
        if (!summary.kind().equals(AuditPayload.summaryOf(kind))) {
            throw new IllegalStateException("the " + kind + " source made a " + summary.kind() + " summary");
        }
        return AuditRecord.of(summary);
    }

    /** The records queued and not delivered yet, taken off the queue: what a source never started has emitted. */
    final List<AuditRecord> drainQueued() {
        List<AuditRecord> records = new ArrayList<>();
        queue.drainTo(records);
        records.remove(POISON);
        return records;
    }

    @Override
    public SourceCounters counters() {
        synchronized (counts) {
            long dropped =
                    droppedBy.values().stream().mapToLong(Long::longValue).sum();
            if (seen != captured + dropped) {
                // every counting method below keeps the equation; this would be a bug of this class
                throw new IllegalStateException(kind + " source counted " + seen + " seen, " + captured
                        + " captured and " + droppedBy + " dropped");
            }
            return new SourceCounters(seen, captured, dropped, droppedBy, fellBehind);
        }
    }

    /** Queues a record of this source's kind: one event seen, captured, or dropped (queueFull) when the queue is full. */
    protected final void emit(AuditPayload payload) {
        if (offer(AuditRecord.of(payload))) {
            countCaptured(1);
        } else {
            countDropped(SourceSummary.QUEUE_FULL, 1);
        }
    }

    /**
     * Queues a record made of {@code events} events already counted captured (a flow of packets, a process's calls);
     * when the queue is full they are moved from captured to dropped (queueFull).
     */
    protected final void emitCarrying(AuditRecord record, long events) {
        if (!offer(record)) {
            synchronized (counts) {
                long moved = Math.min(events, captured);
                captured -= moved;
                droppedBy.merge(SourceSummary.QUEUE_FULL, moved, Long::sum);
            }
        }
    }

    private boolean offer(AuditRecord record) {
        return queue.size() < capacity && queue.offer(record);
    }

    /** {@code n} events seen and dropped for {@code reason} (one of {@link SourceSummary}'s reasons). */
    protected final void countDropped(String reason, long n) {
        if (n <= 0) {
            return;
        }
        synchronized (counts) {
            seen += n;
            droppedBy.merge(reason, n, Long::sum);
        }
    }

    /** {@code n} events seen and captured (those that make no record of their own, or before their record). */
    protected final void countCaptured(long n) {
        if (n <= 0) {
            return;
        }
        synchronized (counts) {
            seen += n;
            captured += n;
        }
    }

    /** The source could not read its tool's output to the end within its bound at stop: the summary says so. */
    protected final void fellBehind() {
        fellBehind = true;
    }

    protected abstract void doStart(AuditTarget target) throws IOException;

    /** Stop the mechanism and emit any pending records (called once). */
    protected abstract void doStop();

    /**
     * The summary payload (called after {@link #doStop()}): the counters and this source's totals, or only
     * {@code stopError} (not null) besides the counters when stopping failed; {@code sinkFailures} null when none.
     */
    protected abstract AuditPayload summary(SourceCounters counters, String stopError, Long sinkFailures);

    private void deliver() {
        while (true) {
            AuditRecord r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == POISON) {
                return;
            }
            try {
                sink.accept(r);
            } catch (RuntimeException e) {
                sinkFailures.incrementAndGet();
            }
        }
    }
}
