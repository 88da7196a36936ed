package io.gitcrq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.kit.outbox.OutboxInsert;
import io.gitcrq.kit.outbox.OutboxRow;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.Topics;
import io.gitcrq.model.signature.Ed25519;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * P1 audit throughput: AuditCaptured events per second from exec-agent's transactional outbox to a durable, chained
 * row of audit-collector — outbox row, Debezium relay, Kafka topic, audit-collector's consumer, row in its
 * {@code audit_event} table — on the real platform (broker, exec-agent and audit-collector as processes, fresh
 * databases dropped at the end; exec-agent's on a PostgreSQL server of its own, as a dev host keeps it). The events
 * are inserted into exec-agent's {@code outbox_event} exactly as service-kit's {@code Outbox} writes a batch of them
 * ({@code publishAll}: one statement, {@code OutboxInsert}), in transactions of {@value #EVENTS_PER_TRANSACTION}; the
 * clock runs from the first insert until audit-collector's database holds all N rows of the bench's host, in several
 * rounds (each on a host of its own; the median counts). Reference, in the same run and in audit-collector's
 * database: {@code COPY ... FROM STDIN} of the very rows audit-collector stored (same columns and values, hashes
 * included) into a fresh table of the same shape (indexes included); beside it, shown but not judged by, the same
 * rows into audit_event itself, rolled back ({@link #referenceInPlace}). Last, the ceiling the transport sets: the
 * same work up to Kafka with audit-collector stopped ({@link #transportAlone}).
 *
 * <pre>java -cp … io.gitcrq.bench.AuditThroughputBench REPO_ROOT WORK_DIR
 *   (env GITCRQ_BENCH_AUDIT_EVENTS, default 20000; GITCRQ_BENCH_AUDIT_WARMUP, events per warm-up chunk, default: ten times the run;
 *    GITCRQ_BENCH_AUDIT_WARMUP_CHUNKS, most warm-up chunks, default 5;
 *    GITCRQ_BENCH_AUDIT_ROUNDS, default 5)</pre>
 */
public final class AuditThroughputBench {

    /** The goal the issue sets: at least half of what a raw COPY of the same rows achieves. */
    static final double AIM_RATIO = 0.5;
    /**
     * What exec-agent commits at once when its audit sources deliver a burst: its publisher drains up to
     * {@code gitcrq.exec.audit.batch-size} records (256 by default) into one transaction, one signed record.
     */
    static final int EVENTS_PER_TRANSACTION = 256;

    private static final List<String> SERVICES = List.of("exec-agent", "audit-collector");
    /** The columns of audit_event the reference copies: every one, as audit-collector filled them. */
    private static final String COLUMNS =
            "event_id, host, crq_id, kind, occurred_at, payload, source, received_at, sequence, prev_hash, hash,"
                    + " host_seq, key_id, signature, batch_first_seq, batch_size, batch_proof";

    private static final String ADMIN =
            "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));

    private final Path work;
    private Platform platform;

    private AuditThroughputBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: AuditThroughputBench REPO_ROOT WORK_DIR");
            System.exit(2);
        }
        int n = Stats.intSetting("GITCRQ_BENCH_AUDIT_EVENTS", 20_000);
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Path work = Path.of(args[1]).toAbsolutePath().resolve("p1-" + runId);
        Files.createDirectories(work);
        new AuditThroughputBench(work).run(repoRoot, runId, n);
    }

    private void run(Path repoRoot, String runId, int n) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "P1 audit events/s, exec-agent's outbox -> Kafka -> audit-collector's table: "
                        + "%d events in transactions of %d (reference: COPY of the same rows)%n",
                n,
                EVENTS_PER_TRANSACTION);
        // exec-agent's database on a server of its own, as on a dev host: on the server that keeps audit-collector's
        // rows its relay's walsender reads every WAL record of them too (0.3 CPU s a round on a slower machine, within
        // the spread on a faster one: docs/benchmarks.md).
        try (BenchPlatform bench =
                BenchPlatform.start("P1", repoRoot, work, runId, SERVICES, Map.of(), List.of("exec-agent"))) {
            platform = bench.platform();
            try (Connection agent = BenchDatabases.connect(platform, "exec-agent");
                    Connection audit = BenchDatabases.connect(platform, "audit-collector")) {
                // The audit topic's end offsets tell when Kafka has a round's records (RelayProgress).
                Map<String, Object> kafka = platform.kafkaClientConfig(BrokerCredentials.ADMIN);
                warmUp(agent, audit, runId, n, kafka);

                // Rounds, each on a host of its own, one after the other; then, untimed, each round's chain is
                // verified and the rows it stored copied as the reference. One run of identical code ranged from 15%
                // to 27% of COPY on a quiet machine, and COPY itself from 0.50 to 0.74 s from one run to the next, so
                // each round's ratio is taken against its own rows' COPY and the median of the rounds decides, with
                // the spread printed. The checks wait until the rounds are done: verifying a chain runs
                // audit-collector's hashing and signature code on other paths, and between rounds it had the JIT
                // compile that code again during the next round.
                int rounds = Stats.intSetting("GITCRQ_BENCH_AUDIT_ROUNDS", 5);
                double[] seconds = new double[rounds];
                double[] cpuSeconds = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    String host = roundHost(runId, round);
                    registerHostKey(host);
                    List<AuditCaptured> rows = events(host, n);
                    CpuMeter cpu = cpuMeter(agent, audit);
                    cpu.start();
                    seconds[round] = pipeline(agent, audit, rows, kafka);
                    cpuSeconds[round] = cpu.partsSeconds();
                    System.out.println("  CPU meanwhile: " + cpu.report());
                }
                for (int round = 0; round < rounds; round++) {
                    verifyChain(roundHost(runId, round), n);
                }
                // Before the references: their copies write hundreds of megabytes of WAL, whose checkpoints slowed
                // the transport down by half when it came after them.
                double transportSeconds = transportAlone(agent, audit, "bench-p1-transport-" + runId, n, kafka);
                double[] copySeconds = new double[rounds];
                double[] copyInPlaceSeconds = new double[rounds];
                // The references run on a quiet database, so that they are not slowed down (which would flatter the
                // ratio): the rounds' rows vacuumed first (autovacuum would do it during the copies) and their dirty
                // pages written out; the copies into audit_event, hundreds of megabytes of WAL, come last.
                quiet(audit);
                for (int round = 0; round < rounds; round++) {
                    copySeconds[round] = reference(audit, roundHost(runId, round), n);
                }
                for (int round = 0; round < rounds; round++) {
                    quiet(audit); // also the rolled back copies' dead rows, before the next
                    copyInPlaceSeconds[round] = referenceInPlace(audit, roundHost(runId, round), n);
                }
                report(n, seconds, copySeconds, copyInPlaceSeconds, transportSeconds, cpuSeconds);
            }
            bench.succeeded();
        }
    }

    private static String roundHost(String runId, int round) {
        return "bench-p1-" + runId + "-" + (round + 1);
    }

    /**
     * Untimed warm-up, in chunks of {@code GITCRQ_BENCH_AUDIT_WARMUP} events (ten times the run), each on a host of its
     * own, until the pipeline's CPU for a chunk falls by less than a tenth from the chunk's before (at least two chunks,
     * at most {@code GITCRQ_BENCH_AUDIT_WARMUP_CHUNKS}): the relay's first batches, the consumer's first polls and the
     * JVMs' compilations are not what a steady stream of audit events costs. A transaction's events travel as one
     * record, so code run per record or per poll reaches the compilers' thresholds only after hundreds of them; with
     * one chunk, audit-collector's C2 compiler thread still took 3-5 CPU s during the five rounds (as much as its own
     * work), and a second chunk took 40% less of audit-collector's CPU than the first.
     */
    private void warmUp(Connection agent, Connection audit, String runId, int n, Map<String, Object> kafka)
            throws Exception {
        int chunkEvents = Stats.intSetting("GITCRQ_BENCH_AUDIT_WARMUP", 10 * n);
        int maxChunks = Stats.intSetting("GITCRQ_BENCH_AUDIT_WARMUP_CHUNKS", 5);
        double previous = Double.NaN;
        for (int chunk = 1; chunk <= maxChunks; chunk++) {
            String host = "bench-p1-warmup-" + runId + "-" + chunk;
            registerHostKey(host);
            List<AuditCaptured> rows = events(host, chunkEvents);
            CpuMeter cpu = cpuMeter(agent, audit);
            cpu.start();
            double seconds = pipeline(agent, audit, rows, kafka);
            double cpuSeconds = cpu.partsSeconds();
            System.out.printf(
                    Locale.ROOT,
                    "  warm-up %d: %d events through in %.1f s, %.1f CPU s (%s)%n",
                    chunk,
                    chunkEvents,
                    seconds,
                    cpuSeconds,
                    cpu.report());
            if (chunk >= 2 && cpuSeconds >= previous * SETTLED) {
                return;
            }
            previous = cpuSeconds;
        }
        System.out.printf(
                Locale.ROOT,
                "  warm-up: the CPU per chunk still fell by more than %.0f%% after %d chunks; the rounds go on%n",
                (1 - SETTLED) * 100,
                maxChunks);
    }

    /** Warmed up once a chunk of the warm-up takes at least this share of the CPU of the chunk before. */
    private static final double SETTLED = 0.9;

    // ---------------------------------------------------------------- the agent's side

    /**
     * N AuditCaptured of one host as exec-agent publishes them after each command (ExecCompletion: kind exec, the
     * exec's description as payload). Built before the clock starts; numbered, signed and enveloped as exec-agent's
     * outbox does (AuditSigner, service-kit's OutboxRow) while it runs.
     */
    private static List<AuditCaptured> events(String host, int n) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HexFormat hex = HexFormat.of();
        List<AuditCaptured> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant started = start.plusMillis(i * 10L);
            Instant ended = started.plusMillis(7);
            String execId = UUID.randomUUID().toString();
            ObjectNode payload = EventCodec.mapper()
                    .createObjectNode()
                    .put("execId", execId)
                    .put("command", "make test TARGET=module-" + (i % 50))
                    .put("cwd", "/home/alice/src/demo")
                    .put("session", "dev")
                    .put("pane", "build")
                    .put("branch", "feature/CRQ-12-bench")
                    .put("requestedBy", "alice")
                    .put("startedAt", started.toString())
                    .put("endedAt", ended.toString())
                    .put("logPath", "/home/alice/.gitcrq/exec-agent/logs/" + execId + ".log")
                    .put(
                            "outputSha256",
                            hex.formatHex(
                                    UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII), 0, 32))
                    .put("exitCode", i % 7 == 0 ? 1 : 0);
            AuditCaptured captured = new AuditCaptured(host, "CRQ-12", AuditCaptured.KIND_EXEC, ended, payload);
            rows.add(captured);
        }
        return rows;
    }

    /**
     * Inserts the rows into exec-agent's outbox ({@value #EVENTS_PER_TRANSACTION} per transaction) and waits until
     * audit-collector holds every one of them; the seconds from the first insert to the last row.
     */
    private static double pipeline(
            Connection agent, Connection audit, List<AuditCaptured> rows, Map<String, Object> kafka) throws Exception {
        String host = rows.get(0).host();
        RelayProgress relay = relayProgress(rows, kafka);
        long start = System.nanoTime();
        double inserted = publish(agent, rows);
        long deadline = deadline(start, rows);
        long stored;
        long lastReport = System.nanoTime();
        // The host's chain head moves in the transaction that stores its rows, and the host is new: last_sequence N
        // means all N rows are committed. One row by its key, where counting the host's rows every 20 ms cost
        // PostgreSQL more the further the run got. The rows themselves are counted once at the end.
        try (PreparedStatement head =
                audit.prepareStatement("SELECT coalesce(max(last_sequence), 0) FROM audit_chain_head WHERE host = ?")) {
            head.setString(1, host);
            while ((stored = countOf(head)) < rows.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("audit-collector holds " + stored + " of " + rows.size()
                            + " events of " + host + " after " + (System.nanoTime() - start) / 1_000_000_000 + " s");
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                    System.out.printf(
                            Locale.ROOT,
                            "  … %d of %d stored after %.0f s%n",
                            stored,
                            rows.size(),
                            (System.nanoTime() - start) / 1e9);
                    lastReport = System.nanoTime();
                }
                Thread.sleep(20);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        relay.close();
        try (PreparedStatement count = audit.prepareStatement("SELECT count(*) FROM audit_event WHERE host = ?")) {
            count.setString(1, host);
            stored = countOf(count);
        }
        if (stored != rows.size()) {
            throw new IllegalStateException(
                    "audit-collector holds " + stored + " events of " + host + ", not " + rows.size());
        }
        double relayed = relay.reachedAt() == 0 ? Double.NaN : (relay.reachedAt() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %s: %d events committed to the outbox after %.2f s, all in Kafka "
                        + "after %.2f s, all stored by audit-collector after %.2f s%n",
                host,
                rows.size(),
                inserted,
                relayed,
                seconds);
        return seconds;
    }

    /** Watches the audit topic for the records of these events: one per transaction (a signed batch). */
    private static RelayProgress relayProgress(List<AuditCaptured> rows, Map<String, Object> kafka) {
        return new RelayProgress(
                kafka, Topics.AUDIT_EVENTS, (rows.size() + EVENTS_PER_TRANSACTION - 1) / EVENTS_PER_TRANSACTION);
    }

    /**
     * Writes the events to exec-agent's outbox as its AuditLedger publishes a batch of audit records
     * (Outbox.publishAll, its AuditSigner numbering them in the host's counter row, in the same transaction, and
     * signing them once, as one record), {@value #EVENTS_PER_TRANSACTION} per transaction; the seconds it took.
     */
    private static double publish(Connection agent, List<AuditCaptured> rows) throws Exception {
        agent.setAutoCommit(false);
        long start = System.nanoTime();
        for (int from = 0; from < rows.size(); from += EVENTS_PER_TRANSACTION) {
            List<AuditCaptured> batch = rows.subList(from, Math.min(rows.size(), from + EVENTS_PER_TRANSACTION));
            OutboxInsert.insert(agent, signed(agent, batch));
            agent.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Generous: even one event at a time, the platform should manage far more than 20 a second. */
    private static long deadline(long start, List<AuditCaptured> rows) {
        return start + TimeUnit.SECONDS.toNanos(60 + rows.size() / 20);
    }

    /**
     * The ceiling this transport sets for P1 on this machine: the events of another host through the agent's signing,
     * the outbox, the relay and the broker alone, audit-collector stopped (nothing consumes, nothing is stored). In
     * the pipeline the same work shares the cores with audit-collector and its database, so the pipeline cannot
     * store faster than this goes; the seconds until Kafka held every record.
     */
    private double transportAlone(Connection agent, Connection audit, String host, int n, Map<String, Object> kafka)
            throws Exception {
        platform.stop("audit-collector", false);
        List<AuditCaptured> rows = events(host, n);
        CpuMeter cpu = transportCpuMeter(agent);
        double inserted;
        double seconds;
        try (RelayProgress relay = relayProgress(rows, kafka)) {
            cpu.start();
            long start = System.nanoTime();
            inserted = publish(agent, rows);
            seconds = (relay.await(deadline(start, rows)) - start) / 1e9;
        }
        System.out.printf(
                Locale.ROOT,
                "  the transport alone (audit-collector stopped): %d events of %s committed to the outbox after %.2f s,"
                        + " all in Kafka after %.2f s%n",
                n,
                host,
                inserted,
                seconds);
        System.out.println("  CPU meanwhile: " + cpu.report());
        return seconds;
    }

    /** The bench's own host key: it plays exec-agent for its hosts, and registers the key for them as an admin would. */
    private static final KeyPair HOST_KEY = Ed25519.generate();

    private static final String KEY_ID = Ed25519.fingerprint(HOST_KEY.getPublic());

    private void registerHostKey(String host) throws Exception {
        String body = EventCodec.mapper()
                .writeValueAsString(Map.of("host", host, "publicKey", Ed25519.publicKeyPem(HOST_KEY.getPublic())));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(platform.url("audit-collector") + "/audit/hosts"))
                                .timeout(Duration.ofMinutes(1))
                                .header("Content-Type", "application/json")
                                .header("Authorization", ADMIN)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "cannot register the bench's host key: " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * A batch as exec-agent's AuditSigner makes it in the outbox transaction: numbered, signed once (its Merkle root)
     * and published as one record (AuditBatchCaptured), enveloped.
     */
    private static List<OutboxRow> signed(Connection agent, List<AuditCaptured> batch) throws Exception {
        String host = batch.get(0).host();
        long last;
        try (PreparedStatement reserve = agent.prepareStatement("INSERT INTO audit_host_sequence (host, last_seq) "
                + "VALUES (?, ?) ON CONFLICT (host) DO UPDATE SET last_seq = audit_host_sequence.last_seq "
                + "+ EXCLUDED.last_seq, updated_at = now() RETURNING last_seq")) {
            reserve.setString(1, host);
            reserve.setLong(2, batch.size());
            last = countOf(reserve);
        }
        AuditBatchCaptured signed =
                AuditSignature.signBatchRecord(batch, last - batch.size() + 1, HOST_KEY.getPrivate(), KEY_ID);
        try (PreparedStatement digest =
                agent.prepareStatement("UPDATE audit_host_sequence SET last_digest = ?, key_id = ? WHERE host = ?")) {
            AuditCaptured e = batch.get(batch.size() - 1);
            digest.setString(
                    1,
                    AuditSignature.digest(AuditSignature.canonical(
                            e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payload(), last)));
            digest.setString(2, KEY_ID);
            digest.setString(3, host);
            digest.executeUpdate();
        }
        return List.of(OutboxRow.of("gitcrq/exec-agent", signed));
    }

    /** CPU of each process of the pipeline (and of PostgreSQL's backends for each of its databases) over the timed run. */
    private CpuMeter cpuMeter(Connection agent, Connection audit) throws Exception {
        return transportCpuMeter(agent)
                .part("audit-collector", List.of(platform.pids().get("audit-collector")))
                .postgres(
                        "PostgreSQL for audit-collector",
                        audit,
                        platform.database(ServiceSpec.named("audit-collector")));
    }

    /** CPU of the agent's side and the transport: the bench playing the agent, the relay, the broker, the outbox. */
    private CpuMeter transportCpuMeter(Connection agent) throws Exception {
        Map<String, Long> pids = platform.pids();
        return new CpuMeter()
                .part(
                        "bench (outbox inserts, polling)",
                        List.of(ProcessHandle.current().pid()))
                .part("exec-agent (relay)", List.of(pids.get("exec-agent")))
                .part("Kafka broker", List.of(pids.get(Platform.BROKER)))
                // Apart: the outbox's side (inserts, its WAL decoded for the relay) is there whatever audit-collector
                // does.
                .postgres(
                        "PostgreSQL for exec-agent (outbox, walsender)",
                        agent,
                        platform.database(ServiceSpec.named("exec-agent")));
    }

    private static long countOf(PreparedStatement count) throws Exception {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The stored rows must form the host's whole chain, in order: what audit-collector's own verification says. */
    private void verifyChain(String host, int n) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(platform.url("audit-collector") + "/audit/verify?host=" + host))
                                .timeout(Duration.ofMinutes(5))
                                .header("Accept", "application/json")
                                .header("Authorization", ADMIN)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode verdict = EventCodec.mapper().readTree(response.body());
        if (response.statusCode() != 200
                || !verdict.path("ok").asBoolean()
                || verdict.path("verified").asLong() != n) {
            throw new IllegalStateException(
                    "the chain of " + host + " does not verify: " + response.statusCode() + " " + response.body());
        }
        System.out.printf(Locale.ROOT, "  checked: GET /audit/verify?host=%s: ok, %d links%n", host, n);
    }

    // ---------------------------------------------------------------- the reference: COPY

    /**
     * COPY of the host's stored rows (read out first, untimed) into a fresh table shaped like audit_event, in the
     * same database; the median seconds of 3 timed copies after one warm-up, the table emptied before each.
     */
    private static double reference(Connection audit, String host, int n) throws Exception {
        audit.setAutoCommit(true);
        CopyManager copy = audit.unwrap(PGConnection.class).getCopyAPI();
        byte[] data = copiedOut(copy, COLUMNS, host);
        try (Statement sql = audit.createStatement()) {
            sql.execute("CREATE TABLE bench_audit_copy (LIKE audit_event INCLUDING ALL)");
            double[] seconds = timedCopies(
                    copy, "bench_audit_copy", data, n, () -> sql.execute("TRUNCATE bench_audit_copy"), () -> {});
            sql.execute("DROP TABLE bench_audit_copy");
            return printed(
                    String.format(
                            Locale.ROOT,
                            "COPY of the same %d rows (%.1f MB) into a table like audit_event",
                            n,
                            data.length / 1e6),
                    seconds);
        }
    }

    /**
     * The same rows COPYed into audit_event itself, as a second reference: the table audit-collector stored them into,
     * at its size then (its indexes hold every earlier round's and the warm-up's rows, which an empty table's do not).
     * Under another host name and with other event ids (the rows are stored already), in a transaction rolled back, so
     * nothing stays; the median seconds of 3 timed copies after one warm-up.
     */
    private static double referenceInPlace(Connection audit, String host, int n) throws Exception {
        CopyManager copy = audit.unwrap(PGConnection.class).getCopyAPI();
        byte[] data =
                copiedOut(copy, COLUMNS.replace("event_id, host,", "event_id || '-copy', 'copy-' || host,"), host);
        audit.setAutoCommit(false);
        try {
            return printed(
                    "COPY of the same rows into audit_event itself (its size then; rolled back)",
                    timedCopies(copy, "audit_event", data, n, () -> {}, audit::rollback));
        } finally {
            audit.rollback();
            audit.setAutoCommit(true);
        }
    }

    /** The host's stored rows in COPY's text format, in chain order, as {@code selected} (a list of column values). */
    private static byte[] copiedOut(CopyManager copy, String selected, String host) throws Exception {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        copy.copyOut(
                "COPY (SELECT " + selected + " FROM audit_event WHERE host = '" + host
                        + "' ORDER BY sequence) TO STDOUT",
                rows);
        return rows.toByteArray();
    }

    /** A step around a timed copy. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * The seconds of 3 timed {@code COPY table FROM STDIN} of the rows, after one untimed: each after {@code before},
     * then {@code after} (untimed); each must take all {@code n} rows.
     */
    private static double[] timedCopies(CopyManager copy, String table, byte[] data, int n, Step before, Step after)
            throws Exception {
        double[] seconds = new double[3];
        for (int round = -1; round < seconds.length; round++) {
            before.run();
            long start = System.nanoTime();
            long copied =
                    copy.copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN", new ByteArrayInputStream(data));
            double s = (System.nanoTime() - start) / 1e9;
            after.run();
            if (copied != n) {
                throw new IllegalStateException("COPY took " + copied + " rows, not " + n);
            }
            if (round >= 0) {
                seconds[round] = s;
            }
        }
        return seconds;
    }

    /** Prints the reference's copies (median, spread) and returns their median. */
    private static double printed(String what, double[] seconds) {
        System.out.printf(
                Locale.ROOT,
                "  reference: %s: %.3f s median of %d (%.3f … %.3f)%n",
                what,
                Stats.median(seconds),
                seconds.length,
                Stats.min(seconds),
                Stats.max(seconds));
        return Stats.median(seconds);
    }

    /** Vacuums audit_event and has PostgreSQL write its dirty pages out (the bench's user may: a superuser, or pg_checkpoint). */
    private static void quiet(Connection audit) throws Exception {
        try (Statement sql = audit.createStatement()) {
            sql.execute("VACUUM audit_event");
            sql.execute("CHECKPOINT");
        }
    }

    // ---------------------------------------------------------------- report

    private static void report(
            int n,
            double[] roundSeconds,
            double[] roundCopySeconds,
            double[] roundCopyInPlaceSeconds,
            double transportSeconds,
            double[] roundCpuSeconds) {
        double[] ratios = new double[roundSeconds.length];
        double[] inPlaceRatios = new double[roundSeconds.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = roundCopySeconds[i] / roundSeconds[i];
            inPlaceRatios[i] = roundCopyInPlaceSeconds[i] / roundSeconds[i];
        }
        double ratio = Stats.median(ratios);
        double seconds = Stats.median(roundSeconds);
        double copySeconds = Stats.median(roundCopySeconds);
        double copyInPlaceSeconds = Stats.median(roundCopyInPlaceSeconds);
        double pipelineCpu = Stats.median(roundCpuSeconds);
        double rate = n / seconds;
        double copyRate = n / copySeconds;
        double transportRate = n / transportSeconds;
        boolean met = ratio >= AIM_RATIO;
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-62s %12s %10s%n", "", "events/s", "seconds");
        System.out.printf(
                Locale.ROOT,
                "  %-62s %12.0f %10.2f%n",
                "gitcrq: outbox -> relay -> Kafka -> audit-collector row",
                rate,
                seconds);
        System.out.printf(
                Locale.ROOT,
                "  %-62s %12.0f %10.2f%n",
                "reference: COPY FROM STDIN of the same rows (an empty table)",
                copyRate,
                copySeconds);
        System.out.printf(
                Locale.ROOT,
                "  %-62s %12.0f %10.2f%n",
                "COPY of the same rows into audit_event (its size then)",
                n / copyInPlaceSeconds,
                copyInPlaceSeconds);
        System.out.printf(
                Locale.ROOT,
                "  %-62s %12.0f %10.2f%n",
                "ceiling: outbox -> relay -> Kafka alone, nothing stored",
                transportRate,
                transportSeconds);
        System.out.printf(
                Locale.ROOT,
                "  ratio: gitcrq stores %.1f%% of COPY's rate (median of %d rounds, each against the COPY after it:"
                        + " %.1f … %.1f%%)%n",
                ratio * 100,
                ratios.length,
                Stats.min(ratios) * 100,
                Stats.max(ratios) * 100);
        // Shown, not what the aim is judged by: the aim's reference stays the COPY into an empty table.
        System.out.printf(
                Locale.ROOT,
                "  against COPY into audit_event itself: %.1f%% (%.1f … %.1f%%); that COPY takes %.1fx the empty"
                        + " table's, the cost of the table's size that the pipeline pays too%n",
                Stats.median(inPlaceRatios) * 100,
                Stats.min(inPlaceRatios) * 100,
                Stats.max(inPlaceRatios) * 100,
                copyInPlaceSeconds / copySeconds);
        System.out.printf(
                Locale.ROOT,
                "  ceiling: the transport alone moves %.1f%% of COPY's rate; storing as well, the pipeline cannot beat"
                        + " it on this machine%n",
                transportRate / copyRate * 100);
        // The run is CPU-bound on a small machine: its processes' CPU seconds, spread perfectly over every core,
        // are the least time this work can take here.
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "  bound: the pipeline's processes took %.1f CPU s (median of the rounds); on %d cores that needs at least %.2f s, at most"
                        + " %.1f%% of COPY's rate for this code%n",
                pipelineCpu,
                cores,
                pipelineCpu / cores,
                n / (pipelineCpu / cores) / copyRate * 100);
        System.out.printf(
                Locale.ROOT, "  aim: at least %.0f%% of COPY: %s%n", AIM_RATIO * 100, met ? "met" : "NOT met");
        Stats.summaryRow(
                "P1 audit events -> chained row (" + n + " events)",
                String.format(Locale.ROOT, "%.0f events/s", rate),
                String.format(Locale.ROOT, "%.0f events/s (COPY)", copyRate),
                String.format(Locale.ROOT, "%.1f%% of COPY", ratio * 100),
                String.format(Locale.ROOT, ">= %.0f%% of COPY: %s", AIM_RATIO * 100, met ? "met" : "NOT met"));
    }
}
