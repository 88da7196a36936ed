package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.deleteTree;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.audit.sources.AuditSource;
import io.gitcrq.audit.sources.AuditSources;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.SourceCounters;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * P5 auditing overhead: the wall time of a real build ({@code make -j2} of a generated C project, see
 * {@link CBuildProject}) with the {@code process} and {@code file} audit sources around it, as exec-agent puts them
 * around a command, against the same build unaudited, in the same run. Rounds alternate (unaudited, audited, …)
 * after one untimed warm-up of each, {@code make clean} before every build; medians are compared. The process
 * source attaches to the build's root process before it does anything: the build is started as a shell waiting for
 * a line on its stdin, which is sent once the sources are capturing. The time is from that line to the build's
 * exit; what starting and stopping the sources costs is printed apart. An audited round must have captured the
 * build's execs and the files it wrote, or the benchmark fails.
 *
 * <pre>java -cp … io.gitcrq.bench.BuildAuditBench WORK_DIR
 *   (env GITCRQ_BENCH_BUILD_FILES, default 600 C files; GITCRQ_BENCH_BUILD_ROUNDS, default 3 of each)</pre>
 */
public final class BuildAuditBench {

    /** The goal the issue sets: auditing costs a build less than a tenth of its time. */
    static final double AIM_OVERHEAD = 0.10;
    private static final List<String> KINDS = List.of("process", "file");

    private final Path project;
    private final Path work;

    private BuildAuditBench(Path work) {
        this.work = work;
        this.project = work.resolve("project");
    }

    /** One build: its wall time, and for an audited one what the sources captured and cost. */
    private record Build(double seconds, double sourcesStart, double sourcesStop, Map<String, Long> counts,
                         Map<String, SourceCounters> counters) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BuildAuditBench WORK_DIR");
            System.exit(2);
        }
        int files = Stats.intSetting("GITCRQ_BENCH_BUILD_FILES", 600);
        int rounds = Stats.intSetting("GITCRQ_BENCH_BUILD_ROUNDS", 3);
        for (String kind : KINDS) {
            AuditSources.unavailable(kind).ifPresent(why -> System.out.println("  note: " + why));
        }
        if (AuditSources.unavailable("process").isPresent()) {
            throw new IllegalStateException("P5 needs strace for the process source");
        }
        Path work = Path.of(args[0]).toAbsolutePath().resolve("p5-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        new BuildAuditBench(work).run(files, rounds);
    }

    private void run(int files, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "P5 auditing overhead: make -j2 of %d generated C files, with the process and file "
                + "audit sources and without, %d rounds each (alternating, after a warm-up of each)%n", files, rounds);
        CBuildProject.write(project, files);
        build(false);
        Build warm = build(true);
        System.out.printf(Locale.ROOT, "  warm-up: audited build %.2f s (%d execs seen)%n", warm.seconds(), warm.counts().getOrDefault("process.exec", 0L));

        double[] plain = new double[rounds];
        double[] audited = new double[rounds];
        List<Build> auditedBuilds = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            plain[r] = build(false).seconds();
            Build b = build(true);
            audited[r] = b.seconds();
            auditedBuilds.add(b);
            System.out.printf(Locale.ROOT, "  round %d: unaudited %.2f s, audited %.2f s (sources start %.2f s, stop %.2f s; "
                            + "%d execs, %d exits, %d file events)%n", r + 1, plain[r], audited[r], b.sourcesStart(),
                    b.sourcesStop(), b.counts().getOrDefault("process.exec", 0L), b.counts().getOrDefault("process.exit", 0L),
                    b.counts().getOrDefault("file", 0L));
            check(b, files);
        }
        report(files, rounds, plain, audited, auditedBuilds);
        deleteTree(work);
    }

    /** A clean build of the project, audited or not. */
    private Build build(boolean audit) throws Exception {
        BenchGit.run(project, List.of("make", "-s", "clean"));
        // Waits for a line before it becomes make, so that the process source is attached before anything runs.
        Process shell = new ProcessBuilder("bash", "-c", "read -r go && exec make -s -j2")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("build.log").toFile())
                .start();
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Consumer<AuditRecord> sink = r -> counts.computeIfAbsent(r.kind() + ("process".equals(r.kind())
                ? "." + r.payload().get("event") : ""), k -> new LongAdder()).increment();
        List<AuditSource> sources = new ArrayList<>();
        double startSeconds = 0;
        try {
            if (audit) {
                long t = System.nanoTime();
                AuditSource process = AuditSources.create("process", work);
                sources.add(process);
                process.start(AuditTarget.pid(shell.pid()), sink);
                AuditSource file = AuditSources.create("file", work);
                sources.add(file);
                file.start(AuditTarget.directories(project), sink);
                startSeconds = (System.nanoTime() - t) / 1e9;
            }
            long start = System.nanoTime();
            try (OutputStream go = shell.getOutputStream()) {
                go.write('\n');
            }
            if (!shell.waitFor(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the build did not end within 10 minutes; see " + work.resolve("build.log"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (shell.exitValue() != 0) {
                throw new IllegalStateException("the build failed (exit " + shell.exitValue() + "): "
                        + Files.readString(work.resolve("build.log")));
            }
            long t = System.nanoTime();
            Map<String, SourceCounters> counters = new LinkedHashMap<>();
            for (AuditSource source : sources) {
                counters.put(source.kind(), source.stop());
            }
            double stopSeconds = (System.nanoTime() - t) / 1e9;
            Map<String, Long> totals = new TreeMap<>();
            counts.forEach((k, v) -> totals.put(k, v.sum()));
            return new Build(seconds, startSeconds, stopSeconds, totals, counters);
        } finally {
            sources.forEach(AuditSource::stop);
            shell.destroyForcibly();
        }
    }

    /**
     * The auditing must really have happened: each unit is compiled by gcc running cc1 and as, so at least three
     * execs per file (and as many exits), and each object file written is a file event.
     */
    private static void check(Build b, int files) {
        long execs = b.counts().getOrDefault("process.exec", 0L);
        long exits = b.counts().getOrDefault("process.exit", 0L);
        long fileEvents = b.counts().getOrDefault("file", 0L);
        if (execs < 3L * files || exits < 3L * files || fileEvents < files) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the audited build captured too little: %d execs, "
                    + "%d exits (at least %d expected), %d file events (at least %d expected); counters %s",
                    execs, exits, 3 * files, fileEvents, files, b.counters()));
        }
    }

    private static void report(int files, int rounds, double[] plain, double[] audited, List<Build> builds) {
        double p = Stats.median(plain);
        double a = Stats.median(audited);
        double overhead = a / p - 1;
        boolean met = overhead < AIM_OVERHEAD;
        Build typical = builds.get(builds.size() - 1);
        long dropped = builds.stream().flatMap(b -> b.counters().values().stream()).mapToLong(SourceCounters::dropped).sum();
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-52s %9s %9s %9s%n", "s", "median", "min", "max");
        System.out.printf(Locale.ROOT, "  %-52s %9.2f %9.2f %9.2f%n", "unaudited: make -j2 (" + files + " files)", p, Stats.min(plain), Stats.max(plain));
        System.out.printf(Locale.ROOT, "  %-52s %9.2f %9.2f %9.2f%n", "audited: process + file sources around it", a, Stats.min(audited), Stats.max(audited));
        System.out.printf(Locale.ROOT, "  captured per audited build: %d execs, %d exits, %d file events; %d dropped over %d builds%n",
                typical.counts().getOrDefault("process.exec", 0L), typical.counts().getOrDefault("process.exit", 0L),
                typical.counts().getOrDefault("file", 0L), dropped, rounds);
        System.out.printf(Locale.ROOT, "  overhead: the audited build takes %+.1f%% time (sources' own start %.2f s and stop %.2f s not included)%n",
                overhead * 100, typical.sourcesStart(), typical.sourcesStop());
        System.out.printf(Locale.ROOT, "  aim: under %.0f%%: %s%n", AIM_OVERHEAD * 100, met ? "met" : "NOT met");
        Stats.summaryRow("P5 audited build (make -j2, " + files + " C files)",
                String.format(Locale.ROOT, "audited: %.2f s (%d execs, %d file events)", a,
                        typical.counts().getOrDefault("process.exec", 0L), typical.counts().getOrDefault("file", 0L)),
                String.format(Locale.ROOT, "unaudited: %.2f s", p),
                String.format(Locale.ROOT, "%+.1f%% time", overhead * 100),
                String.format(Locale.ROOT, "< %.0f%%: %s", AIM_OVERHEAD * 100, met ? "met" : "NOT met"));
    }
}
