package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.deleteTree;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.audit.sources.AuditSource;
import io.gitcrq.audit.sources.AuditSources;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.ProcessTreeSource;
import io.gitcrq.audit.sources.SourceCounters;
import io.gitcrq.audit.sources.StraceFollowing;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@link CBuildProject}) with the {@code process} and {@code file} audit sources around it, against the same build
 * unaudited, in the same run. The process source is measured every way it can trace (see {@link Mode}). Rounds
 * alternate (unaudited, attached, launched, followed) after one untimed warm-up of each, {@code make clean} before
 * every build; medians are compared. Attached, the source must be tracing before the build does anything: the build
 * is started as a shell waiting for a line on its stdin, which is sent once the sources are capturing, and the time
 * runs from that line to the build's exit. Launched and followed, it runs from the start of strace to the exit. The file source is started first in both, and what starting and stopping the sources costs apart from that
 * is printed. An audited round must have captured the build's execs and the files it wrote, or the benchmark fails.
 *
 * <pre>java -cp … io.gitcrq.bench.BuildAuditBench WORK_DIR
 *   (env GITCRQ_BENCH_BUILD_FILES, default 600 C files; GITCRQ_BENCH_BUILD_ROUNDS, default 3 of each)</pre>
 */
public final class BuildAuditBench {

    /** The goal the issue sets: auditing costs a build less than a tenth of its time. */
    static final double AIM_OVERHEAD = 0.10;

    private static final List<String> KINDS = List.of("process", "file");
    private static final String BUILD = "make -s -j2";

    /**
     * How the build is audited: not at all; with the process source attached to the build's root process (how a
     * source is put around a command that already runs); with the process source launching the build under its
     * tracer, which lets strace have the kernel filter the traced calls (--seccomp-bpf); or following the build, which
     * its own parent starts under the source's strace (exec-agent's way: a tmux pane's shell starts the command so).
     */
    private enum Mode {
        UNAUDITED,
        ATTACHED,
        LAUNCHED,
        FOLLOWED
    }

    private final Path project;
    private final Path work;

    private BuildAuditBench(Path work) {
        this.work = work;
        this.project = work.resolve("project");
    }

    /** One build: its wall time, and for an audited one what the sources captured and cost. */
    private record Build(
            double seconds,
            double sourcesStart,
            double sourcesStop,
            Map<String, Long> counts,
            Map<String, SourceCounters> counters) {}

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
        if (AuditSources.followUnavailable().isPresent()) {
            throw new IllegalStateException("P5 needs a strace that can follow a build: "
                    + AuditSources.followUnavailable().get());
        }
        Path work = Path.of(args[0])
                .toAbsolutePath()
                .resolve("p5-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        new BuildAuditBench(work).run(files, rounds);
    }

    private void run(int files, int rounds) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "P5 auditing overhead: make -j2 of %d generated C files, with the process and file "
                        + "audit sources and without, %d rounds each (alternating, after a warm-up of each)%n",
                files,
                rounds);
        CBuildProject.write(project, files);
        for (Mode mode : Mode.values()) {
            Build warm = build(mode);
            System.out.printf(
                    Locale.ROOT, "  warm-up, %s: %.2f s%n", mode.name().toLowerCase(Locale.ROOT), warm.seconds());
        }
        Map<Mode, double[]> seconds = new LinkedHashMap<>();
        Map<Mode, List<Build>> builds = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            seconds.put(mode, new double[rounds]);
            builds.put(mode, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d:", r + 1));
            for (Mode mode : Mode.values()) {
                Build b = build(mode);
                seconds.get(mode)[r] = b.seconds();
                builds.get(mode).add(b);
                line.append(
                        String.format(Locale.ROOT, " %s %.2f s", mode.name().toLowerCase(Locale.ROOT), b.seconds()));
                if (mode != Mode.UNAUDITED) {
                    check(b, files);
                    line.append(String.format(
                            Locale.ROOT,
                            " (%d execs, %d exits, %d file events; sources start %.2f s, stop %.2f s)",
                            b.counts().getOrDefault("process.exec", 0L),
                            b.counts().getOrDefault("process.exit", 0L),
                            b.counts().getOrDefault("file", 0L),
                            b.sourcesStart(),
                            b.sourcesStop()));
                }
                line.append(mode.ordinal() == Mode.values().length - 1 ? "" : ",");
            }
            System.out.println(line);
        }
        report(files, seconds, builds);
        deleteTree(work);
    }

    /** A clean build of the project, audited as {@code mode} says. */
    private Build build(Mode mode) throws Exception {
        BenchGit.run(project, List.of("make", "-s", "clean"));
        Path log = work.resolve("build.log");
        Files.deleteIfExists(log);
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Consumer<AuditRecord> sink = r -> counts.computeIfAbsent(
                        r.kind()
                                + ("process".equals(r.kind())
                                        ? "." + r.payload().get("event")
                                        : ""),
                        k -> new LongAdder())
                .increment();
        List<AuditSource> sources = new ArrayList<>();
        Process shell = null;
        try {
            double startSeconds = 0;
            long start;
            int exit;
            if (mode == Mode.LAUNCHED) {
                long t = System.nanoTime();
                sources.add(startFileSource(sink));
                startSeconds = (System.nanoTime() - t) / 1e9;
                start = System.nanoTime();
                ProcessTreeSource process = ProcessTreeSource.launching(List.of("bash", "-c", BUILD), project, log);
                sources.add(process);
                process.start(AuditTarget.none(), sink);
                exit = process.awaitExit(Duration.ofMinutes(10))
                        .orElseThrow(
                                () -> new IllegalStateException("the build did not end within 10 minutes; see " + log));
            } else if (mode == Mode.FOLLOWED) {
                long t = System.nanoTime();
                sources.add(startFileSource(sink));
                StraceFollowing process = AuditSources.following("process", work.resolve("build.strace"), project);
                sources.add(process);
                process.start(AuditTarget.none(), sink);
                startSeconds = (System.nanoTime() - t) / 1e9;
                // The build's parent is ours, as a pane's command's is its shell: it starts the build under the strace.
                List<String> program = new ArrayList<>(process.straceCommand());
                program.addAll(List.of("bash", "-c", BUILD));
                start = System.nanoTime();
                shell = new ProcessBuilder(program)
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                exit = awaitBuild(shell, log);
            } else {
                // Waits for a line before it becomes make, so that an attached source is tracing before anything runs.
                shell = new ProcessBuilder("bash", "-c", "read -r go && exec " + BUILD)
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                if (mode == Mode.ATTACHED) {
                    long t = System.nanoTime();
                    sources.add(startFileSource(sink));
                    AuditSource process = AuditSources.create("process", work);
                    sources.add(process);
                    process.start(AuditTarget.pid(shell.pid()), sink);
                    startSeconds = (System.nanoTime() - t) / 1e9;
                }
                start = System.nanoTime();
                try (OutputStream go = shell.getOutputStream()) {
                    go.write('\n');
                }
                exit = awaitBuild(shell, log);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("the build failed (exit " + exit + "): " + Files.readString(log));
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
            if (shell != null) {
                shell.destroyForcibly();
            }
        }
    }

    private static int awaitBuild(Process build, Path log) throws InterruptedException {
        if (!build.waitFor(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the build did not end within 10 minutes; see " + log);
        }
        return build.exitValue();
    }

    private AuditSource startFileSource(Consumer<AuditRecord> sink) throws Exception {
        AuditSource file = AuditSources.create("file", work);
        file.start(AuditTarget.directories(project), sink);
        return file;
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
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "the audited build captured too little: %d execs, "
                            + "%d exits (at least %d expected), %d file events (at least %d expected); counters %s",
                    execs,
                    exits,
                    3 * files,
                    fileEvents,
                    files,
                    b.counters()));
        }
    }

    private static void report(int files, Map<Mode, double[]> seconds, Map<Mode, List<Build>> builds) {
        double plain = Stats.median(seconds.get(Mode.UNAUDITED));
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-58s %9s %9s %9s %9s%n", "s", "median", "min", "max", "overhead");
        for (Mode mode : Mode.values()) {
            double[] s = seconds.get(mode);
            String label = switch (mode) {
                case UNAUDITED -> "unaudited: " + BUILD + " (" + files + " files)";
                case ATTACHED -> "audited, process source attached (strace -p)";
                case LAUNCHED -> "audited, process source launching it (--seccomp-bpf)";
                case FOLLOWED -> "audited, process source following it (exec-agent's way)";
            };
            System.out.printf(
                    Locale.ROOT,
                    "  %-58s %9.2f %9.2f %9.2f %8s%n",
                    label,
                    Stats.median(s),
                    Stats.min(s),
                    Stats.max(s),
                    mode == Mode.UNAUDITED
                            ? ""
                            : String.format(Locale.ROOT, "%+.1f%%", (Stats.median(s) / plain - 1) * 100));
        }
        for (Mode mode : List.of(Mode.ATTACHED, Mode.LAUNCHED, Mode.FOLLOWED)) {
            List<Build> b = builds.get(mode);
            Build typical = b.get(b.size() - 1);
            long dropped = b.stream()
                    .flatMap(x -> x.counters().values().stream())
                    .mapToLong(SourceCounters::dropped)
                    .sum();
            double audited = Stats.median(seconds.get(mode));
            double overhead = audited / plain - 1;
            boolean met = overhead < AIM_OVERHEAD;
            String name = mode.name().toLowerCase(Locale.ROOT);
            System.out.printf(
                    Locale.ROOT,
                    "  %s: per build %d execs, %d exits, %d file events captured, %d dropped in all; "
                            + "overhead %+.1f%%: aim under %.0f%% %s%n",
                    name,
                    typical.counts().getOrDefault("process.exec", 0L),
                    typical.counts().getOrDefault("process.exit", 0L),
                    typical.counts().getOrDefault("file", 0L),
                    dropped,
                    overhead * 100,
                    AIM_OVERHEAD * 100,
                    met ? "met" : "NOT met");
            Stats.summaryRow(
                    "P5 audited build, " + name + " (make -j2, " + files + " C files)",
                    String.format(
                            Locale.ROOT,
                            "%.2f s (%d execs, %d file events)",
                            audited,
                            typical.counts().getOrDefault("process.exec", 0L),
                            typical.counts().getOrDefault("file", 0L)),
                    String.format(Locale.ROOT, "unaudited: %.2f s", plain),
                    String.format(Locale.ROOT, "%+.1f%% time", overhead * 100),
                    String.format(Locale.ROOT, "< %.0f%%: %s", AIM_OVERHEAD * 100, met ? "met" : "NOT met"));
        }
    }
}
