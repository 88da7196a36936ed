package io.gitcrq.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P6 CLI answer time: the wall time of {@code gitcrq crq show CRQ-n} as a user runs it (the root {@code ./gitcrq}
 * script, answered by the resident CLI the first call started) against a running crq-service, from start to exit,
 * against {@code curl} making the same REST call (same URL, credentials and {@code Accept}) as the reference. The
 * broker and crq-service run as processes from their jars on a fresh database (the way P3 starts them); the CRQ is
 * made through the REST API first. The run has a resident CLI of its own ({@code XDG_RUNTIME_DIR} in its work
 * directory), stopped at the end; every timed call must have been run by it (its status counts them). Calls of the two
 * are interleaved after 3 untimed ones each; a JVM per call ({@code GITCRQ_CLI_DAEMON=0}: fast-start options and the
 * class-data archive) and the plain {@code java -jar} start of the same jar are timed too, for comparison. The
 * machine's spawn cost ({@code /bin/true} per call) and load average are printed beside the figures.
 *
 * <pre>java -cp … io.gitcrq.bench.CliStartBench REPO_ROOT WORK_DIR   (env GITCRQ_BENCH_CLI_CALLS, default 30)</pre>
 */
public final class CliStartBench {

    /** The aim the issue sets: at most 3 times curl's time for the same REST call. */
    static final double AIM_RATIO = 3.0;

    private static final String USER = "alice";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CliStartBench REPO_ROOT WORK_DIR");
            System.exit(2);
        }
        int calls = Stats.intSetting("GITCRQ_BENCH_CLI_CALLS", 30);
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        Path script = repoRoot.resolve("gitcrq");
        Path jar = repoRoot.resolve("cli/target/gitcrq-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: mvn -pl cli -am install -DskipTests");
        }
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Path work = Path.of(args[1]).toAbsolutePath().resolve("p6-" + runId);
        Files.createDirectories(work);
        System.out.printf(
                Locale.ROOT,
                "P6 CLI answer time: gitcrq crq show CRQ-n (./gitcrq) against curl of the same REST call, %d calls each%n",
                calls);
        String loadBefore = Stats.loadAverage();
        try (BenchPlatform bench =
                BenchPlatform.start("P6", repoRoot, work, runId, List.of("crq-service"), Map.of(), List.of())) {
            String url = bench.platform().url("crq-service");
            String id = createCrq(url);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GITCRQ_CRQ_URL", url);
            env.put("GITCRQ_USER", USER);
            env.put("GITCRQ_PASSWORD", USER);
            // The run's own resident CLI (not a developer's), in a directory only this user may enter.
            Path runtime = Files.createDirectory(
                    work.resolve("cli-runtime"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            env.put("XDG_RUNTIME_DIR", runtime.toString());
            env.put("GITCRQ_CLI_DAEMON_IDLE_MINUTES", "10");
            Map<String, String> jvmEnv = new LinkedHashMap<>(env);
            jvmEnv.put("GITCRQ_CLI_DAEMON", "0");
            List<String> gitcrq = List.of(script.toString(), "crq", "show", id);
            List<String> daemonStatus = List.of(script.toString(), "cli-daemon", "status");
            List<String> plainJava = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString(),
                    "crq",
                    "show",
                    id);
            List<String> curl = List.of(
                    "curl",
                    "-sS",
                    "--fail",
                    "-u",
                    USER + ":" + USER,
                    "-H",
                    "Accept: application/json, application/problem+json",
                    url + "/crqs/" + id);

            try {
                measure(work, id, gitcrq, curl, plainJava, daemonStatus, env, jvmEnv, loadBefore, calls);
            } finally {
                run(work, List.of(script.toString(), "cli-daemon", "stop"), env);
            }
            bench.succeeded();
        }
    }

    private static void measure(
            Path work,
            String id,
            List<String> gitcrq,
            List<String> curl,
            List<String> plainJava,
            List<String> daemonStatus,
            Map<String, String> env,
            Map<String, String> jvmEnv,
            String loadBefore,
            int calls)
            throws Exception {
        {
            // Same answer first: the CLI shows the CRQ curl fetched (this first call starts the resident CLI).
            String shown = run(work, gitcrq, env).out();
            String fetched = run(work, curl, env).out();
            if (!shown.startsWith(id + "  P6 bench CRQ") || !fetched.contains("\"id\":\"" + id + "\"")) {
                throw new IllegalStateException("unexpected answers:\n--- gitcrq\n" + shown + "--- curl\n" + fetched);
            }
            String first = shown.lines().findFirst().orElse("");
            System.out.println("  gitcrq prints: " + first + " ("
                    + shown.lines().count() + " lines); curl: " + fetched.length() + " bytes of JSON");

            awaitDaemon(work, daemonStatus, env);
            if (!run(work, gitcrq, env).out().equals(run(work, gitcrq, jvmEnv).out())) {
                throw new IllegalStateException("the resident CLI and a JVM of its own print different answers");
            }
            for (int i = 0; i < 3; i++) {
                run(work, gitcrq, env);
                run(work, curl, env);
                run(work, gitcrq, jvmEnv);
                run(work, plainJava, env);
            }
            int servedBefore = commandsRun(work, daemonStatus, env);
            double spawn = Stats.spawnCostMs();
            double[] gitcrqMs = new double[calls];
            double[] curlMs = new double[calls];
            for (int i = 0; i < calls; i++) {
                if (i % 2 == 0) {
                    gitcrqMs[i] = run(work, gitcrq, env).ms();
                    curlMs[i] = run(work, curl, env).ms();
                } else {
                    curlMs[i] = run(work, curl, env).ms();
                    gitcrqMs[i] = run(work, gitcrq, env).ms();
                }
            }
            int served = commandsRun(work, daemonStatus, env) - servedBefore;
            if (served != calls) {
                throw new IllegalStateException(
                        "the resident CLI ran " + served + " of the " + calls + " timed calls: not all were measured");
            }
            int jvmCalls = Math.max(5, calls / 3);
            double[] jvmMs = new double[jvmCalls];
            double[] plainMs = new double[jvmCalls];
            for (int i = 0; i < jvmCalls; i++) {
                jvmMs[i] = run(work, gitcrq, jvmEnv).ms();
                plainMs[i] = run(work, plainJava, env).ms();
            }
            report(gitcrqMs, curlMs, jvmMs, plainMs, spawn, loadBefore);
        }
    }

    /** Waits until the resident CLI the first call started answers (its JVM starts beside that call's). */
    private static void awaitDaemon(Path work, List<String> status, Map<String, String> env) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (attempt(work, status, env).exit() != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the resident CLI did not start within 3 minutes (see "
                        + env.get("XDG_RUNTIME_DIR") + "/gitcrq-cli-*/daemon.log)");
            }
            Thread.sleep(200);
        }
    }

    /** The commands the resident CLI ran so far (its status line: "commands run: N"). */
    private static int commandsRun(Path work, List<String> status, Map<String, String> env) throws Exception {
        Matcher run = Pattern.compile("commands run: ([0-9]+)")
                .matcher(run(work, status, env).out());
        if (!run.find()) {
            throw new IllegalStateException("the resident CLI's status says no count of commands run");
        }
        return Integer.parseInt(run.group(1));
    }

    private static void report(
            double[] gitcrq, double[] curl, double[] jvm, double[] plain, double spawn, String loadBefore) {
        System.out.printf(
                Locale.ROOT,
                "  spawn cost: /bin/true %.1f ms per call; load average %s before, %s after%n",
                spawn,
                loadBefore,
                Stats.loadAverage());
        System.out.printf(
                Locale.ROOT, "  %-52s %9s %9s %9s %9s %9s%n", "ms per call", "median", "mean", "min", "p90", "max");
        Stats.timingRow("./gitcrq crq show (resident CLI)", gitcrq);
        Stats.timingRow("curl of GET /crqs/CRQ-n", curl);
        Stats.timingRow("./gitcrq, GITCRQ_CLI_DAEMON=0 (JVM, AppCDS; " + jvm.length + ")", jvm);
        Stats.timingRow("java -jar gitcrq-cli.jar crq show (" + plain.length + " calls)", plain);
        double g = Stats.median(gitcrq);
        double c = Stats.median(curl);
        double j = Stats.median(jvm);
        double p = Stats.median(plain);
        double ratio = g / c;
        System.out.printf(
                Locale.ROOT,
                "  ratio gitcrq / curl: %.1fx (%.0f ms vs %.0f ms); a JVM per call: %.1fx (%.0f ms); plain java -jar:"
                        + " %.1fx (%.0f ms)%n",
                ratio,
                g,
                c,
                j / c,
                j,
                p / c,
                p);
        boolean met = ratio <= AIM_RATIO;
        System.out.printf(
                Locale.ROOT,
                "  aim: at most %.0fx curl's time: %s (%.1fx)%n",
                AIM_RATIO,
                met ? "met" : "NOT met",
                ratio);
        Stats.summaryRow(
                "P6 gitcrq crq show CRQ-n",
                String.format(Locale.ROOT, "%.0f ms/call (spawn %.1f ms)", g, spawn),
                String.format(Locale.ROOT, "%.0f ms/call (curl, same REST call)", c),
                String.format(Locale.ROOT, "%.1fx the time", ratio),
                String.format(Locale.ROOT, "<= %.0fx: %s", AIM_RATIO, met ? "met" : "NOT met"));
    }

    private record Run(String out, double ms, int exit) {}

    /** Runs {@code command} to its end; its output, and the milliseconds from start to exit. Fails unless it exits 0. */
    private static Run run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        Run run = attempt(dir, command, env);
        if (run.exit() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited with " + run.exit() + ":\n" + run.out());
        }
        return run;
    }

    /** Runs {@code command} to its end, whatever its exit code. */
    private static Run attempt(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        return new Run(out, (System.nanoTime() - start) / 1e6, exit);
    }

    /** A CRQ made through crq-service's REST API as alice; its id. */
    private static String createCrq(String url) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/crqs"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((USER + ":" + USER).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"title\":\"P6 bench CRQ\",\"description\":\"shown by gitcrq crq show\","
                                + "\"repo\":\"bench\",\"targetBranch\":\"main\"}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"(CRQ-[0-9]+)\"").matcher(response.body());
        if (response.statusCode() / 100 != 2 || !id.find()) {
            throw new IllegalStateException("POST /crqs: " + response.statusCode() + " " + response.body());
        }
        return id.group(1);
    }

    private CliStartBench() {}
}
