package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.git;
import static io.gitcrq.bench.BenchGit.identify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.Platform;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.policy.CrqId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * P3 approval → merge latency: the wall time from bob's approval (the REST call is sent) until the watched bare
 * repository's {@code main} holds merge-bot's merge commit, for N CRQs approved one after the other, on the real
 * platform (Kafka broker, crq-service, git-watcher and merge-bot as processes from their runnable jars, each on a
 * fresh database dropped at the end). Reference, measured in the same run on a copy of the same repository: a
 * person merging by hand in a clone ({@code git fetch}, {@code git merge --no-ff}, {@code git push}).
 *
 * <pre>java -cp … io.gitcrq.bench.MergeLatencyBench REPO_ROOT WORK_DIR
 *   (env GITCRQ_BENCH_CRQS, default 200; GITCRQ_BENCH_REF_MERGES, default 20)</pre>
 */
public final class MergeLatencyBench {

    /** The goal the issue sets: p99 of approval → merge commit under one second. */
    static final double AIM_P99_MS = 1000;

    private static final String REPO = "bench";
    private static final List<String> SERVICES = List.of("crq-service", "git-watcher", "merge-bot");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path work;
    private Platform platform;

    private MergeLatencyBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MergeLatencyBench REPO_ROOT WORK_DIR");
            System.exit(2);
        }
        int crqs = Stats.intSetting("GITCRQ_BENCH_CRQS", 200);
        int refMerges = Stats.intSetting("GITCRQ_BENCH_REF_MERGES", 20);
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Path work = Path.of(args[1]).toAbsolutePath().resolve("p3-" + runId);
        Files.createDirectories(work);
        new MergeLatencyBench(work).run(repoRoot, runId, crqs, refMerges);
    }

    private void run(Path repoRoot, String runId, int n, int refMerges) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "P3 approval -> merge commit on main: %d CRQs approved one at a time "
                        + "(reference: %d merges by hand with git)%n",
                n,
                refMerges);
        try (BenchPlatform bench = BenchPlatform.start(
                "P3",
                repoRoot,
                work,
                runId,
                SERVICES,
                Map.of(
                        "gitcrq.git-watcher.poll-interval",
                        "1s",
                        "gitcrq.merge-bot.mirror-dir",
                        work.resolve("run/merge-bot-mirrors").toString()),
                List.of())) {
            platform = bench.platform();
            double[] gitcrq = platformPart(n);
            double[] byHand = referencePart(refMerges);
            report(gitcrq, byHand, n, refMerges);
            bench.succeeded();
        }
    }

    // ---------------------------------------------------------------- the platform

    private double[] platformPart(int n) throws Exception {
        Path bare = work.resolve("bench.git");
        Files.createDirectories(bare);
        git(bare, "init", "-q", "--bare", "-b", "main");
        Path clone = work.resolve("clone");
        git(work, "clone", "-q", bare.toString(), clone.toString());
        identify(clone);
        Files.writeString(clone.resolve("README.md"), "bench\n");
        git(clone, "add", ".");
        git(clone, "commit", "-q", "-m", "initial import");
        git(clone, "push", "-q", "origin", "main");
        post(
                "git-watcher",
                "/repos",
                "alice",
                Map.of("name", REPO, "location", bare.toString(), "defaultBranch", "main"));

        long t = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("title", "Bench change " + i);
            body.put("description", "bench P3");
            body.put("repo", REPO);
            body.put("targetBranch", "main");
            String id = post("crq-service", "/crqs", "alice", body).path("id").asText();
            post("crq-service", "/crqs/" + id + "/submit", "alice", Map.of());
            ids.add(id);
        }
        System.out.printf(
                Locale.ROOT, "  %d CRQs created and submitted as alice in %.1f s%n", n, (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        Map<String, String> tips = new LinkedHashMap<>();
        for (String id : ids) {
            String branch = "feature/" + id + "-bench";
            git(clone, "checkout", "-q", "-b", branch, "main");
            Files.writeString(clone.resolve("change-" + id + ".txt"), id + "\n");
            git(clone, "add", ".");
            git(clone, "commit", "-q", "-m", id + ": bench change");
            tips.put(id, git(clone, "rev-parse", "HEAD").trim());
        }
        git(clone, "push", "-q", "origin", "refs/heads/feature/*:refs/heads/feature/*");
        System.out.printf(
                Locale.ROOT,
                "  %d branches committed and pushed in one git push in %.1f s%n",
                n,
                (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        Set<String> pending = new HashSet<>(ids);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long nextPoll = 0;
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pending.size() + " CRQs never showed their commit, e.g. "
                        + pending.iterator().next());
            }
            if (System.nanoTime() > nextPoll) {
                post("git-watcher", "/repos/" + REPO + "/poll", "alice", null);
                nextPoll = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            }
            for (String id : List.copyOf(pending)) {
                if (get("crq-service", "/crqs/" + id, "alice")
                        .path("links")
                        .path("commits")
                        .toString()
                        .contains(tips.get(id))) {
                    pending.remove(id);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(500);
            }
        }
        System.out.printf(
                Locale.ROOT, "  all %d CRQs show their commit link after %.1f s%n", n, (System.nanoTime() - t) / 1e9);

        double[] latencies = new double[n];
        double[] approveCalls = new double[n];
        Instant[] sent = new Instant[n];
        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            String before = mainOf(bare);
            sent[i] = Instant.now();
            long start = System.nanoTime();
            post("crq-service", "/crqs/" + id + "/approve", "bob", Map.of("reason", "bench"));
            approveCalls[i] = (System.nanoTime() - start) / 1e6;
            long limit = start + TimeUnit.SECONDS.toNanos(30);
            String now;
            while ((now = mainOf(bare)).equals(before)) {
                if (System.nanoTime() > limit) {
                    JsonNode crq = get("crq-service", "/crqs/" + id, "bob");
                    throw new IllegalStateException(id + " approved but main did not move within 30 s: status "
                            + crq.path("status").asText() + ", blocked: "
                            + crq.path("blockedReason").asText()
                            + ", waiting: " + crq.path("waitingReason").asText());
                }
                Thread.sleep(2);
            }
            latencies[i] = (System.nanoTime() - start) / 1e6;
            // Not timed: let the CRQ finish (merge recorded, CLOSED) before the next approval, so each is alone.
            long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < closeBy
                    && !"CLOSED"
                            .equals(get("crq-service", "/crqs/" + id, "bob")
                                    .path("status")
                                    .asText())) {
                Thread.sleep(20);
            }
            if ((i + 1) % 50 == 0) {
                System.out.printf(Locale.ROOT, "  … %d approved and merged%n", i + 1);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  %d approvals merged one at a time in %.1f s (approve REST call itself: p50 %.1f ms)%n",
                n,
                (System.nanoTime() - t) / 1e9,
                Stats.percentile(approveCalls, 50));

        // Each CRQ's branch tip must be a parent of a merge commit on main, and each merge has exactly one.
        Set<String> mergedTips = new HashSet<>();
        for (String line : git(bare, "log", "main", "--merges", "--format=%P").split("\n")) {
            String[] parents = line.trim().split(" ");
            if (parents.length == 2) {
                mergedTips.add(parents[1]);
            }
        }
        long missing =
                tips.values().stream().filter(tip -> !mergedTips.contains(tip)).count();
        if (missing > 0) {
            throw new IllegalStateException(missing + " CRQ branch tips are not merged into main");
        }
        System.out.printf(
                Locale.ROOT, "  checked: main holds %d merge commits, one per CRQ branch%n", mergedTips.size());
        stages(ids, sent, approveCalls, latencies);
        return latencies;
    }

    /**
     * Where each approval's time went, from the services' own records (read after the timed loop): the approve
     * call; from its answer until merge-bot's transaction took the CrqApproved (crq-service's relay, the broker,
     * merge-bot's consumer; {@code processed_event.processed_at} of merge-bot's inbox is that transaction's start);
     * from there until merge-bot recorded the merge ({@code merge_attempt.at}, after it moved the target). The
     * clocks are one machine's: the bench's and PostgreSQL's.
     */
    private void stages(List<String> ids, Instant[] sent, double[] approveCalls, double[] latencies) throws Exception {
        Map<String, String> approvalEvent = new HashMap<>();
        try (Connection crqDb = BenchDatabases.connect(platform, "crq-service");
                PreparedStatement q =
                        crqDb.prepareStatement("SELECT message_key, id::text FROM outbox_event WHERE event_type = ?")) {
            q.setString(1, EventType.CRQ_APPROVED.ceType());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    approvalEvent.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Map<String, Instant> taken = new HashMap<>();
        Map<Long, Instant> merged = new HashMap<>();
        try (Connection mergeDb = BenchDatabases.connect(platform, "merge-bot");
                Statement st = mergeDb.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT event_id, processed_at FROM processed_event")) {
                while (rs.next()) {
                    taken.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT crq_id, at FROM merge_attempt WHERE outcome = 'MERGED'")) {
                while (rs.next()) {
                    merged.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        int n = ids.size();
        double[] toMergeBot = new double[n];
        double[] merging = new double[n];
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            Instant answered = sent[i].plusNanos((long) (approveCalls[i] * 1e6));
            Instant takenAt = taken.get(approvalEvent.get(id));
            Instant mergedAt = merged.get(CrqId.parse(id).number());
            if (takenAt == null || mergedAt == null) {
                throw new IllegalStateException(id + ": merge-bot has no record of taking its approval or merging it");
            }
            toMergeBot[i] = Duration.between(answered, takenAt).toNanos() / 1e6;
            merging[i] = Duration.between(takenAt, mergedAt).toNanos() / 1e6;
        }
        System.out.printf(Locale.ROOT, "  where the time goes (ms)%44s %9s %9s %9s%n", "p50", "p90", "p99", "mean");
        stageRow("approve call (crq-service: authenticate, approve, outbox row)", approveCalls);
        stageRow("answer -> merge-bot takes the CrqApproved (relay, broker)", toMergeBot);
        stageRow("merge-bot: queue, merge, move main, record", merging);
        stageRow("in all: approve call -> merge commit on main", latencies);
    }

    private static void stageRow(String what, double[] ms) {
        System.out.printf(
                Locale.ROOT,
                "    %-64s %9.1f %9.1f %9.1f %9.1f%n",
                what,
                Stats.percentile(ms, 50),
                Stats.percentile(ms, 90),
                Stats.percentile(ms, 99),
                Stats.mean(ms));
    }

    // ---------------------------------------------------------------- the reference: merging by hand with git

    private double[] referencePart(int count) throws Exception {
        // A copy of the same repository (main with the platform's merges), so the platform does not see these.
        Path ref = work.resolve("ref.git");
        git(work, "clone", "-q", "--bare", work.resolve("bench.git").toString(), ref.toString());
        Path author = work.resolve("ref-author");
        git(work, "clone", "-q", ref.toString(), author.toString());
        identify(author);
        for (int i = 0; i <= count; i++) { // branch 0: one untimed warm-up merge
            git(author, "checkout", "-q", "-b", "feature/REF-" + i + "-bench", "main");
            Files.writeString(author.resolve("ref-" + i + ".txt"), i + "\n");
            git(author, "add", ".");
            git(author, "commit", "-q", "-m", "REF-" + i + ": by-hand change");
        }
        git(author, "push", "-q", "origin", "refs/heads/feature/*:refs/heads/feature/*");

        Path hand = work.resolve("ref-hand");
        git(work, "clone", "-q", ref.toString(), hand.toString());
        identify(hand);
        double[] ms = new double[count];
        for (int i = 0; i <= count; i++) {
            String branch = "feature/REF-" + i + "-bench";
            long start = System.nanoTime();
            git(hand, "fetch", "-q", "origin");
            git(hand, "merge", "-q", "--no-ff", "-m", "Merge branch '" + branch + "'", "origin/" + branch);
            git(hand, "push", "-q", "origin", "main");
            if (i > 0) {
                ms[i - 1] = (System.nanoTime() - start) / 1e6;
            }
        }
        return ms;
    }

    // ---------------------------------------------------------------- report

    private static void report(double[] gitcrq, double[] byHand, int n, int refs) {
        double p50 = Stats.percentile(gitcrq, 50);
        double p99 = Stats.percentile(gitcrq, 99);
        double r50 = Stats.percentile(byHand, 50);
        double r99 = Stats.percentile(byHand, 99);
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-58s %9s %9s %9s %9s %9s%n", "ms", "p50", "p99", "mean", "min", "max");
        System.out.printf(
                Locale.ROOT,
                "  %-58s %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                "gitcrq: approve -> merge commit on main (" + n + " CRQs)",
                p50,
                p99,
                Stats.mean(gitcrq),
                Stats.min(gitcrq),
                Stats.max(gitcrq));
        System.out.printf(
                Locale.ROOT,
                "  %-58s %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                "by hand: git fetch + merge --no-ff + push (" + refs + ")",
                r50,
                r99,
                Stats.mean(byHand),
                Stats.min(byHand),
                Stats.max(byHand));
        System.out.printf(
                Locale.ROOT,
                "  ratio of the p50s: gitcrq takes %.2fx the time of merging by hand with git%n",
                p50 / r50);
        boolean met = p99 < AIM_P99_MS;
        System.out.printf(
                Locale.ROOT, "  aim: p99 under %.0f ms: %s (p99 %.1f ms)%n", AIM_P99_MS, met ? "met" : "NOT met", p99);
        Stats.summaryRow(
                "P3 approval -> merge commit (" + n + " CRQs)",
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", p50, p99),
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (git fetch+merge+push by hand)", r50, r99),
                String.format(Locale.ROOT, "%.2fx the time (p50)", p50 / r50),
                String.format(Locale.ROOT, "p99 < %.0f ms: %s", AIM_P99_MS, met ? "met" : "NOT met"));
    }

    // ---------------------------------------------------------------- helpers

    /** main's commit, read from the loose ref (cheap enough to poll every 2 ms); git when it is packed. */
    private static String mainOf(Path bare) throws Exception {
        Path loose = bare.resolve("refs/heads/main");
        try {
            String id = Files.readString(loose).trim();
            if (id.length() == 40) {
                return id;
            }
        } catch (IOException packedOrBeingReplaced) {
            // fall through
        }
        return git(bare, "rev-parse", "main").trim();
    }

    private JsonNode post(String service, String path, String user, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        return send(
                HttpRequest.newBuilder(URI.create(platform.url(service) + path))
                        .header("Content-Type", "application/json")
                        .POST(publisher),
                user);
    }

    private JsonNode get(String service, String path, String user) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(platform.url(service) + path)).GET(), user);
    }

    private JsonNode send(HttpRequest.Builder builder, String user) throws Exception {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " as " + user + ": "
                    + response.statusCode() + " " + response.body());
        }
        String text = response.body();
        return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }
}
