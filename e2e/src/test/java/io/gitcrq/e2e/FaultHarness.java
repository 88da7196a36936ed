package io.gitcrq.e2e;

import static io.gitcrq.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.deploy.DatabaseServer;
import io.gitcrq.deploy.Platform;
import io.gitcrq.deploy.ServiceSpec;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.crq.CreateCrqRequest;
import io.gitcrq.model.api.crq.CrqView;
import io.gitcrq.model.api.crq.TransitionRequest;
import io.gitcrq.model.api.exec.ExecView;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Faults injected into a running platform while a burst of work goes through it, and the ledger checked after.
 * <p>
 * A round: CRQs each with a pushed branch, and a CRQ to run commands for (made first, untimed); then, at once, every
 * approval (crq-service → merge-bot) and a run of commands (exec-agent → audit-collector), each REST call repeated
 * until a service answers it, as a client would while a service restarts; a fault while they go; then the ledger:
 * every approval merged exactly once, every command ended truthfully and audited exactly once in its host's intact
 * chain, nothing dead-lettered by any service.
 */
final class FaultHarness {

    /** Generous, for a loaded machine: services restart, relays catch up, consumers take their partitions again. */
    static final Duration PATIENCE = Duration.ofMinutes(4);

    /** A paced burst's commands at most: its fault should be over long before. */
    private static final int MAX_PACED_COMMANDS = 400;

    private static final ObjectMapper JSON = ApiJson.mapper();
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED");

    private final DemoPlatform demo;
    private final RelayRoles relayRoles;
    /** The round under way, whose burst a fault may look at. */
    private volatile Round current;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    FaultHarness(DemoPlatform demo) {
        this.demo = demo;
        this.relayRoles = new RelayRoles(demo.platform);
    }

    /** What goes wrong during a round. */
    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    /**
     * One whole round: its CRQs and branches made, the burst started, {@code fault} injected once the burst is under
     * way, and the ledger checked.
     */
    void survives(String name, int approvals, int commands, Fault fault) throws Exception {
        survives(name, approvals, commands, Duration.ZERO, fault);
    }

    /**
     * As {@link #survives(String, int, int, Fault)}, for a fault that takes a while (services stopped one after
     * another): the burst sends an approval and a command each {@code pace}, and goes on sending commands, one each
     * {@code pace}, until the fault is over, so that every part of the fault happens while work goes through.
     */
    void survives(String name, int approvals, int commands, Duration pace, Fault fault) throws Exception {
        Round round = prepare(name, approvals, commands);
        round.pace = pace;
        current = round.start();
        try {
            round.awaitUnderWay();
            fault.inject();
        } finally {
            round.faultOver = true;
        }
        round.checkLedger();
    }

    /** A round's CRQs and branches, made and linked before its burst. */
    Round prepare(String name, int approvals, int commands) throws Exception {
        List<String> crqs = new ArrayList<>();
        for (int i = 0; i < approvals; i++) {
            crqs.add(createSubmitted("alice", name + " " + i));
        }
        if (approvals > 0) {
            pushBranches(name, crqs);
        }
        String execCrq = createSubmitted("alice", name + " commands");
        // exec-agent runs commands only for CRQs it knows (from crq-service's events).
        demo.topics.awaitConsumed(
                TopicAccess.execAgentGroups(demo.platform.execHost()).get(1), Topics.CRQ_EVENTS);
        return new Round(name, crqs, execCrq, commands);
    }

    /** A branch with one commit for each CRQ, pushed at once; each CRQ knows its commit before the burst. */
    private void pushBranches(String name, List<String> crqs) throws IOException, InterruptedException {
        git(demo.clone, "fetch", "-q", "origin");
        List<String> push = new ArrayList<>(List.of("push", "-q", "origin"));
        for (int i = 0; i < crqs.size(); i++) {
            String branch = "feature/" + crqs.get(i) + "-" + name;
            git(demo.clone, "checkout", "-q", "-b", branch, "origin/main");
            Files.createDirectories(demo.clone.resolve(name));
            Files.writeString(demo.clone.resolve(name).resolve(i + ".txt"), crqs.get(i) + "\n");
            git(demo.clone, "add", name);
            git(demo.clone, "commit", "-q", "-m", crqs.get(i) + ": " + name + " " + i);
            push.add(branch);
        }
        git(demo.clone, push.toArray(String[]::new));
        for (String id : crqs) {
            Waits.until(
                    id + " knows its commit",
                    PATIENCE,
                    Duration.ofMillis(250),
                    () -> !crq(id).links().commits().isEmpty());
        }
    }

    /** One burst of work and what the platform made of it. */
    final class Round {
        final String name;
        final List<String> approvals;
        final String execCrq;
        final int commands;
        /** The exec ids the exec-agent answered with. */
        final List<String> accepted = new CopyOnWriteArrayList<>();
        /** Approvals crq-service has answered. */
        private final AtomicInteger approved = new AtomicInteger();
        /** Commands sent (each until exec-agent answered it). */
        private final AtomicInteger sentCommands = new AtomicInteger();
        /** Between one approval and command and the next, while the fault is not over (zero: none). */
        private volatile Duration pace = Duration.ZERO;

        private volatile boolean faultOver;
        /** What each service had dead-lettered before the round (an earlier test's refusals are not the round's). */
        private final Map<String, Integer> deadLetteredBefore = new LinkedHashMap<>();

        private CompletableFuture<Void> burst;

        private Round(String name, List<String> approvals, String execCrq, int commands) {
            this.name = name;
            this.approvals = approvals;
            this.execCrq = execCrq;
            this.commands = commands;
        }

        /** Sends every approval and command, interleaved, on a thread of its own. */
        Round start() throws IOException {
            for (String service : TopicAccess.SERVICES) {
                deadLetteredBefore.put(
                        service,
                        demo.topics.published(Topics.deadLetter(service)).size());
            }
            burst = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < Math.max(approvals.size(), commands) || goesOn(i); i++) {
                    if (i < approvals.size()) {
                        approve(approvals.get(i));
                    }
                    if (i < commands || goesOn(i)) {
                        run(i);
                        sentCommands.incrementAndGet();
                    }
                    if (!pace.isZero() && !faultOver) {
                        try {
                            Thread.sleep(pace.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            });
            return this;
        }

        /** A paced burst sends commands until the fault is over (at most a few hundred). */
        private boolean goesOn(int i) {
            return !pace.isZero() && !faultOver && i < MAX_PACED_COMMANDS;
        }

        /** Whether the burst is still sending. */
        boolean sending() {
            return burst != null && !burst.isDone();
        }

        /** Waits until the first approval and the first command have been answered: the burst is under way. */
        void awaitUnderWay() throws InterruptedException {
            Waits.until(
                    name + " under way",
                    PATIENCE,
                    Duration.ofMillis(20),
                    () -> burst.isDone() || (!accepted.isEmpty() && approved.get() > 0));
        }

        /** Waits until exec-agent has accepted {@code count} commands (or the burst ended). */
        void awaitAccepted(int count) throws InterruptedException {
            Waits.until(
                    name + ": " + count + " commands accepted",
                    PATIENCE,
                    Duration.ofMillis(20),
                    () -> burst.isDone() || accepted.size() >= count);
        }

        private void approve(String id) {
            answered(
                    "approve " + id,
                    () -> post(
                            "crq-service",
                            "/crqs/" + id + "/approve",
                            "bob",
                            new TransitionRequest("four eyes, during faults", null),
                            // 409: an earlier try got through before its answer was lost.
                            response -> response.statusCode() == 200 || response.statusCode() == 409));
            approved.incrementAndGet();
        }

        /**
         * One command, repeated with the same idempotency key until exec-agent answers: a try whose answer was lost
         * (the agent stopped after accepting it) is answered by the repeat with the exec it started.
         */
        private void run(int i) {
            StartExecRequest request = new StartExecRequest(
                    name, "c" + i, "echo " + name + "-" + i, execCrq, null, null, null, null, null);
            Map<String, String> key =
                    Map.of("Idempotency-Key", UUID.randomUUID().toString());
            answered(
                    "command " + i,
                    () -> post("exec-agent", "/execs", "alice", key, request, response -> {
                        if (response.statusCode() == 202) {
                            accepted.add(read(response.body(), ExecView.class).execId());
                            return true;
                        }
                        return false;
                    }));
        }

        /** The ledger: every approval merged once, every command ended and audited once, nothing dead-lettered. */
        void checkLedger() throws Exception {
            burst.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            for (String id : approvals) {
                Waits.until(
                        id + " merged",
                        PATIENCE,
                        Duration.ofMillis(500),
                        () -> "CLOSED".equals(crq(id).status()),
                        () -> mergeStateOf(id));
                assertThat(git(demo.bare, "log", "main", "--merges", "--format=%H", "--grep", "CRQ: " + id + "$")
                                .lines()
                                .count())
                        .as("%s: merge commits of %s", name, id)
                        .isEqualTo(1);
            }

            Waits.until(
                    name + ": every command ended",
                    PATIENCE,
                    Duration.ofMillis(500),
                    () -> execs().stream().allMatch(e -> ENDED.contains(e.status())));
            List<ExecView> execs = execs();
            assertThat(execs.stream().map(ExecView::execId))
                    .as(name + ": the execs of " + execCrq)
                    .containsAll(accepted)
                    .doesNotHaveDuplicates();
            for (ExecView e : execs) {
                if (e.status().equals("FINISHED")) {
                    assertThat(e.exitCode()).as(name + ": " + e).isZero();
                } else {
                    assertThat(e.reason())
                            .as(name + ": why " + e.execId() + " failed")
                            .isNotBlank();
                }
            }
            // Every repeat carried its command's idempotency key: one exec per command, however often it was sent.
            Map<String, List<ExecView>> byPane = execs.stream().collect(Collectors.groupingBy(ExecView::pane));
            for (int i = 0; i < sentCommands.get(); i++) {
                assertThat(byPane.getOrDefault("c" + i, List.of()))
                        .as(name + ": the execs of command " + i)
                        .hasSize(1);
            }
            List<String> finished = execs.stream()
                    .filter(e -> e.status().equals("FINISHED"))
                    .map(ExecView::execId)
                    .toList();
            Waits.until(
                    name + ": every finished command audited",
                    PATIENCE,
                    Duration.ofSeconds(1),
                    () -> audited().stream()
                            .map(a -> a.path("payload").path("execId").asText())
                            .collect(Collectors.toSet())
                            .containsAll(finished));
            demo.topics.awaitConsumed("audit-collector", Topics.AUDIT_EVENTS);
            List<JsonNode> audited = audited();
            assertThat(audited.stream()
                            .map(a -> a.path("payload").path("execId").asText()))
                    .as(name + ": each command audited once")
                    .doesNotHaveDuplicates()
                    .containsAll(finished);
            for (String host :
                    audited.stream().map(a -> a.path("host").asText()).collect(Collectors.toSet())) {
                JsonNode chain = demo.cli
                        .ok("alice", "--json", "audit", "verify", "--host", host)
                        .json();
                assertThat(chain.path("ok").asBoolean()).as(name + ": " + chain).isTrue();
            }

            for (String service : TopicAccess.SERVICES) {
                assertThat(demo.topics.published(Topics.deadLetter(service)))
                        .as(name + ": dead-lettered by " + service + " during the round")
                        .hasSize(deadLetteredBefore.get(service));
            }
            System.out.printf(
                    "%s: %d approvals merged once each; %d commands ended (%d finished), each audited once%n",
                    name, approvals.size(), execs.size(), finished.size());
        }

        private List<ExecView> execs() {
            return get("exec-agent", "/execs?crq=" + execCrq, "alice", new TypeReference<List<ExecView>>() {});
        }

        private List<JsonNode> audited() {
            List<JsonNode> items = new ArrayList<>();
            demo.cli
                    .ok(
                            "alice",
                            "--json",
                            "audit",
                            "--crq",
                            execCrq,
                            "--kind",
                            AuditCaptured.KIND_EXEC,
                            "--size",
                            "500")
                    .json()
                    .path("items")
                    .forEach(items::add);
            return items;
        }
    }

    // ---- faults ---------------------------------------------------------------------------------------------------

    /**
     * Stops each instance (SIGTERM or SIGKILL) and starts it again, one after another, each once the one before is
     * ready, as a rolling deployment does, while the round's burst goes on (checked before each stop).
     */
    void restartEachServiceInTurn(boolean kill) {
        Platform platform = demo.platform;
        Round round = current;
        for (String s : platform.instances()) {
            assertThat(round.sending())
                    .as(round.name + ": the burst still going when " + s + " is stopped")
                    .isTrue();
            platform.stop(s, kill);
            platform.start(s);
            platform.awaitReady(s, PATIENCE);
        }
        System.out.printf(
                "%s: each of %d instances stopped and started again in turn while %d commands were sent%n",
                round.name, platform.instances().size(), round.sentCommands.get());
    }

    /** Stops every instance of one service (SIGTERM or SIGKILL), then starts them again. */
    void restart(String service, boolean kill) {
        restartTogether(demo.platform.instancesOf(service), kill);
    }

    /** Stops {@code instances} at once (SIGTERM or SIGKILL), then starts them all and waits until each is ready. */
    private void restartTogether(List<String> instances, boolean kill) {
        Platform platform = demo.platform;
        instances.parallelStream().forEach(s -> platform.stop(s, kill));
        for (String s : instances) {
            platform.start(s);
        }
        for (String s : instances) {
            platform.awaitReady(s, PATIENCE);
        }
    }

    /**
     * Kills (SIGKILL) one instance of each service that runs several ({@link ServiceSpec#scales}): the one relaying its
     * outbox where it has one, the last one otherwise. Before that, each instance of those services reads partitions
     * of every topic its service reads (they share the records). Waits until a survivor relays each outbox, prints how long
     * that took, then starts the killed instances again.
     */
    void killOneInstanceOfEach() throws Exception {
        Platform platform = demo.platform;
        Map<String, String> victims = new LinkedHashMap<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!spec.scales()) {
                continue;
            }
            List<String> instances = platform.instancesOf(spec.name());
            assertThat(instances).as(spec.name() + "'s instances").hasSizeGreaterThan(1);
            if (TopicAccess.reads(spec.name()).isEmpty()) {
                continue; // git-watcher reads no topic: its instances share the polls
            }
            for (String topic : TopicAccess.reads(spec.name())) {
                Waits.until(
                        spec.name() + ": each instance reads partitions of " + topic,
                        PATIENCE,
                        Duration.ofMillis(500),
                        () -> membersReading(spec.name(), topic) == instances.size());
            }
        }
        // The services whose relaying instance is killed, with the instances that survive it.
        Map<String, List<String>> waiting = new LinkedHashMap<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (spec.scales()) {
                List<String> instances = platform.instancesOf(spec.name());
                Optional<String> relaying = relaying(instances);
                String victim = relaying.orElse(instances.get(instances.size() - 1));
                victims.put(spec.name(), victim);
                if (relaying.isPresent()) {
                    List<String> survivors = new ArrayList<>(instances);
                    survivors.remove(victim);
                    waiting.put(spec.name(), survivors);
                }
            }
        }
        long killedAt = System.nanoTime();
        victims.values().parallelStream().forEach(instance -> platform.stop(instance, true));
        System.out.println("killed (SIGKILL): " + victims.values());

        // The outboxes the killed instances relayed: each taken over by a survivor, timed from the kill.
        assertThat(waiting.keySet())
                .as("the services whose relaying instance was killed")
                .contains("crq-service", "git-watcher", "merge-bot");
        long deadline = killedAt + PATIENCE.toNanos();
        while (!waiting.isEmpty()) {
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getValue().stream().anyMatch(i -> "active".equals(relayRoles.of(i)))) {
                    System.out.printf(
                            "%s: a survivor relays its outbox %d ms after the kill%n",
                            entry.getKey(), (System.nanoTime() - killedAt) / 1_000_000);
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no survivor took over the relay of " + waiting.keySet() + " within " + PATIENCE);
            }
            sleep(100);
        }
        for (String instance : victims.values()) {
            platform.start(instance);
        }
        for (String instance : victims.values()) {
            platform.awaitReady(instance, PATIENCE);
        }
    }

    /** The instance relaying the service's outbox once exactly one does (the others standing by); empty if none has one. */
    private Optional<String> relaying(List<String> instances) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<String> roles = new ArrayList<>();
            for (String instance : instances) {
                roles.add(relayRoles.of(instance));
            }
            if (roles.stream().allMatch(java.util.Objects::isNull)) {
                return Optional.empty(); // no outbox (audit-collector)
            }
            if (roles.stream().filter("active"::equals).count() == 1
                    && roles.stream().filter("standby"::equals).count() == instances.size() - 1) {
                return Optional.of(instances.get(roles.indexOf("active")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no instance of " + instances + " relays alone: " + roles);
            }
            Thread.sleep(250);
        }
    }

    private long membersReading(String group, String topic) {
        try {
            return demo.topics.membersReading(group, topic);
        } catch (Exception e) {
            return -1; // the broker did not answer this time: asked again
        }
    }

    /** Kills the broker and starts it again on the same data. */
    void crashTheBroker() {
        demo.platform.stop(Platform.BROKER, true);
        demo.platform.startBroker(PATIENCE);
    }

    /** Cuts every connection the platform's services have to PostgreSQL, replication connections too. */
    int cutDatabaseConnections() {
        Platform platform = demo.platform;
        String cut = platform.settings()
                .database()
                .query(
                        DatabaseServer.user(),
                        "postgres",
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname LIKE '"
                                + platform.settings().databasePrefix() + "%' AND pid <> pg_backend_pid()");
        // A backend that ended between the listing and its termination makes PostgreSQL print a WARNING ("PID n is
        // not a PostgreSQL backend process") before the count: the count is the last line.
        List<String> lines = cut.strip().lines().toList();
        return Integer.parseInt(lines.get(lines.size() - 1).strip());
    }

    // ---- REST, as a client that repeats a call until a service answers it -------------------------------------------

    private String createSubmitted(String user, String title) {
        CrqView[] made = new CrqView[1];
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        answered(
                "create " + title,
                () -> post(
                        "crq-service",
                        "/crqs",
                        user,
                        key,
                        new CreateCrqRequest(title, "fault harness", "demo", null),
                        response -> {
                            if (response.statusCode() == 201) {
                                made[0] = read(response.body(), CrqView.class);
                                return true;
                            }
                            return false;
                        }));
        String id = made[0].id();
        answered(
                "submit " + id,
                () -> post(
                        "crq-service",
                        "/crqs/" + id + "/submit",
                        user,
                        new TransitionRequest("ready", null),
                        response -> response.statusCode() == 200));
        return id;
    }

    private CrqView crq(String id) {
        return get("crq-service", "/crqs/" + id, "alice", new TypeReference<CrqView>() {});
    }

    /** Where a CRQ stands with merge-bot, as crq-service shows it: what a merge that never came needs explained. */
    private String mergeStateOf(String id) {
        CrqView view = crq(id);
        return id + " " + view.status() + ", merge " + view.mergeState()
                + (view.waitingReason() == null ? "" : ", waiting: " + view.waitingReason())
                + (view.blockedReason() == null ? "" : ", blocked: " + view.blockedReason());
    }

    /**
     * Repeats {@code call} until it says the service answered as expected; a refused connection or a 5xx (a service
     * stopping or starting) is tried again, anything else fails the test with what the service said.
     */
    private void answered(String what, java.util.function.BooleanSupplier call) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!call.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": no answer within " + PATIENCE);
            }
            sleep(250);
        }
    }

    private boolean post(
            String service, String path, String user, Object body, Function<HttpResponse<String>, Boolean> done) {
        return post(service, path, user, Map.of(), body, done);
    }

    private boolean post(
            String service,
            String path,
            String user,
            Map<String, String> headers,
            Object body,
            Function<HttpResponse<String>, Boolean> done) {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = request(service, path, user)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            headers.forEach(request::header);
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return false; // not listening (stopped, starting): try again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (done.apply(response)) {
            return true;
        }
        if (response.statusCode() >= 500) {
            return false;
        }
        throw new AssertionError(
                "POST " + service + path + " as " + user + ": " + response.statusCode() + " " + response.body());
    }

    private <T> T get(String service, String path, String user, TypeReference<T> type) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                HttpResponse<String> response =
                        http.send(request(service, path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readValue(response.body(), type);
                }
                if (response.statusCode() < 500) {
                    throw new AssertionError(
                            "GET " + service + path + ": " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                // not listening: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + service + path + ": no answer within " + PATIENCE);
            }
            sleep(250);
        }
    }

    private HttpRequest.Builder request(String service, String path, String user) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(demo.url(service) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/json");
    }

    private static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
