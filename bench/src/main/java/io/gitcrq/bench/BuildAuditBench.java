package io.gitcrq.bench;

import static io.gitcrq.bench.BenchGit.deleteTree;

import io.gitcrq.audit.sources.AuditRecord;
import io.gitcrq.audit.sources.AuditSource;
import io.gitcrq.audit.sources.AuditSources;
import io.gitcrq.audit.sources.AuditTarget;
import io.gitcrq.audit.sources.CommandCgroup;
import io.gitcrq.audit.sources.EbpfProcessSource;
import io.gitcrq.audit.sources.SourceCounters;
import io.gitcrq.audit.sources.StraceFollowing;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Collectors;

/**
 * P5 auditing overhead: the wall time of a workload with the {@code process} and {@code file} audit sources around it,
 * against the same workload unaudited, in the same run, for two workloads ({@link Workload}): a real build
 * ({@code make -j2} of a generated C project, see {@link CBuildProject}) and a tree of about 5,000 short-lived
 * processes, where a per-process cost cannot hide behind the work each process does. The process source is measured
 * both ways exec-agent runs it ({@link Mode}): strace following the workload, and eBPF. Rounds alternate (unaudited,
 * strace, eBPF) after one untimed warm-up of each; medians are compared, the spread printed. The time runs from the
 * start of the workload's shell to its exit; the sources are started before and stopped after, and what that costs is
 * printed. An audited round must have captured every exec and exit the workload is known to make — every compile's
 * compiler driver, cc1 and as, each exit with code 0; every {@code /bin/true} and {@code sh} of the process tree —
 * and the files the build wrote, or the benchmark fails.
 *
 * <pre>java -cp … io.gitcrq.bench.BuildAuditBench WORK_DIR
 *   (env GITCRQ_BENCH_BUILD_FILES, default 600 C files; GITCRQ_BENCH_BUILD_ROUNDS, default 3 of each;
 *    GITCRQ_BENCH_PROCESS_CHAINS, default 500 chains of sh -c three deep beside 2,500 /bin/true)</pre>
 */
public final class BuildAuditBench {

    /** The goal the issue sets: auditing costs a workload less than a tenth of its time. */
    static final double AIM_OVERHEAD = 0.10;

    private static final String BUILD = "make -s -j2";

    /** How the workload is audited: not at all; the process source by strace following it; or by eBPF. */
    private enum Mode {
        UNAUDITED,
        STRACE,
        EBPF
    }

    /**
     * What is run, the execs it must make and the exits with code 0 (of processes whose last program was that one), by
     * program name (the path's last part) to count.
     */
    private record Workload(String name, String script, Map<String, Long> execs, Map<String, Long> exits) {}

    private final Path project;
    private final Path work;

    private BuildAuditBench(Path work) {
        this.work = work;
        this.project = work.resolve("project");
    }

    /** One run: its wall time, and for an audited one what the sources captured and cost. */
    private record Run(
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
        int chains = Stats.intSetting("GITCRQ_BENCH_PROCESS_CHAINS", 500);
        AuditSources.unavailable("file").ifPresent(why -> System.out.println("  note: " + why));
        if (AuditSources.followUnavailable().isPresent()) {
            throw new IllegalStateException("P5 needs a strace that can follow a workload: "
                    + AuditSources.followUnavailable().get());
        }
        if (EbpfProcessSource.unavailable().isPresent()) {
            throw new IllegalStateException("P5 needs the eBPF process source: "
                    + EbpfProcessSource.unavailable().get());
        }
        Path work = Path.of(args[0])
                .toAbsolutePath()
                .resolve("p5-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(work);
        BuildAuditBench bench = new BuildAuditBench(work);
        CBuildProject.write(bench.project, files);
        System.out.printf(Locale.ROOT, "  spawn cost: %.1f ms per /bin/true%n", Stats.spawnCostMs());
        bench.run(build(files), rounds);
        bench.run(processTree(chains), rounds);
        deleteTree(work);
    }

    /** make -j2 of the project: per file one compiler driver, one cc1, one as, each ending with 0. */
    private static Workload build(int files) {
        Map<String, Long> each = Map.of("cc", (long) files, "cc1", (long) files, "as", (long) files);
        return new Workload(BUILD + " of " + files + " C files", "exec " + BUILD, each, each);
    }

    /**
     * 2,500 {@code /bin/true} in a loop, then {@code chains} chains {@code sh -c '/bin/true; sh -c "/bin/true; sh -c
     * /bin/true"'}: three shells deep, each running a program of its own (the last shell may become its
     * {@code /bin/true} rather than start it, so shells' exits are not counted, only every {@code /bin/true}'s).
     */
    private static Workload processTree(int chains) {
        int loop = 2500;
        return new Workload(
                (loop + 5 * chains) + " short processes (" + loop + " /bin/true, " + chains
                        + " chains of sh -c three deep)",
                "i=0; while [ $i -lt " + loop + " ]; do /bin/true; i=$((i+1)); done\n"
                        + "i=0; while [ $i -lt " + chains + " ]; do"
                        + " /bin/sh -c '/bin/true; /bin/sh -c \"/bin/true; /bin/sh -c /bin/true\"'; i=$((i+1)); done",
                Map.of("true", (long) loop + 3L * chains, "sh", 3L * chains),
                Map.of("true", (long) loop + 3L * chains));
    }

    private void run(Workload workload, int rounds) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "P5 auditing overhead: %s, with the process and file audit sources and without, %d rounds each "
                        + "(alternating, after a warm-up of each; load average %s)%n",
                workload.name(),
                rounds,
                Stats.loadAverage());
        for (Mode mode : Mode.values()) {
            Run warm = run(workload, mode);
            System.out.printf(
                    Locale.ROOT, "  warm-up, %s: %.2f s%n", mode.name().toLowerCase(Locale.ROOT), warm.seconds());
        }
        Map<Mode, double[]> seconds = new LinkedHashMap<>();
        Map<Mode, List<Run>> runs = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            seconds.put(mode, new double[rounds]);
            runs.put(mode, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d:", r + 1));
            for (Mode mode : Mode.values()) {
                Run b = run(workload, mode);
                seconds.get(mode)[r] = b.seconds();
                runs.get(mode).add(b);
                line.append(
                        String.format(Locale.ROOT, " %s %.2f s", mode.name().toLowerCase(Locale.ROOT), b.seconds()));
                if (mode != Mode.UNAUDITED) {
                    check(workload, mode, b);
                    line.append(String.format(
                            Locale.ROOT,
                            " (%d execs, %d exits, %d file events%s; sources start %.2f s, stop %.2f s)",
                            b.counts().getOrDefault("process.exec", 0L),
                            b.counts().getOrDefault("process.exit", 0L),
                            b.counts().getOrDefault("file", 0L),
                            fileMechanisms(b),
                            b.sourcesStart(),
                            b.sourcesStop()));
                }
                line.append(mode.ordinal() == Mode.values().length - 1 ? "" : ",");
            }
            System.out.println(line);
        }
        report(workload, seconds, runs);
        System.out.println();
    }

    /** The workload in the project, audited as {@code mode} says. */
    private Run run(Workload workload, Mode mode) throws Exception {
        BenchGit.run(project, List.of("make", "-s", "clean"));
        Path log = work.resolve("workload.log");
        Files.deleteIfExists(log);
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Consumer<AuditRecord> sink = r -> count(counts, r);
        List<AuditSource> sources = new ArrayList<>();
        CommandCgroup cgroup = null;
        try {
            List<String> program = new ArrayList<>();
            long t = System.nanoTime();
            if (mode != Mode.UNAUDITED) {
                AuditSource file = AuditSources.create("file", work);
                file.start(AuditTarget.directories(project), sink);
                sources.add(file);
            }
            if (mode == Mode.STRACE) {
                // The workload's parent is ours, as a pane's command's is its shell: it starts it under the strace.
                StraceFollowing process = AuditSources.following("process", work.resolve("run.strace"), project);
                sources.add(process);
                process.start(AuditTarget.none(), sink);
                program.addAll(process.straceCommand());
                program.addAll(List.of("bash", "-c", workload.script()));
            } else if (mode == Mode.EBPF) {
                cgroup = CommandCgroup.create("bench-p5-" + UUID.randomUUID());
                EbpfProcessSource process = new EbpfProcessSource();
                sources.add(process);
                process.start(AuditTarget.none().withCgroup(cgroup.path()), sink);
                // The workload's shell joins the cgroup before it becomes the workload, as a pane's does.
                program.addAll(List.of(
                        "bash",
                        "-c",
                        "printf '%s\\n' $$ > \"$0\" || exit 99\n" + workload.script(),
                        cgroup.procs().toString()));
            } else {
                program.addAll(List.of("bash", "-c", workload.script()));
            }
            double startSeconds = (System.nanoTime() - t) / 1e9;
            long start = System.nanoTime();
            Process shell = new ProcessBuilder(program)
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!shell.waitFor(20, TimeUnit.MINUTES)) {
                shell.destroyForcibly();
                throw new IllegalStateException("the workload did not end within 20 minutes; see " + log);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (shell.exitValue() != 0) {
                throw new IllegalStateException(
                        "the workload failed (exit " + shell.exitValue() + "): " + Files.readString(log));
            }
            t = System.nanoTime();
            Map<String, SourceCounters> counters = new LinkedHashMap<>();
            for (int i = sources.size() - 1; i >= 0; i--) {
                counters.put(sources.get(i).kind(), sources.get(i).stop());
            }
            double stopSeconds = (System.nanoTime() - t) / 1e9;
            Map<String, Long> totals = new TreeMap<>();
            counts.forEach((k, v) -> totals.put(k, v.sum()));
            return new Run(seconds, startSeconds, stopSeconds, totals, counters);
        } finally {
            sources.forEach(AuditSource::stop);
            if (cgroup != null) {
                cgroup.close();
            }
        }
    }

    /**
     * Counts records by kind; a process exec by the program it ran ({@code exec:NAME}, the path's last part), an exit
     * with code 0 by the program it last ran ({@code exit0:NAME}).
     */
    private static void count(Map<String, LongAdder> counts, AuditRecord r) {
        Map<String, Object> p = r.payload();
        String key = r.kind();
        if ("process".equals(r.kind())) {
            Object event = p.get("event");
            key = "process." + event;
            Object path = p.get("path");
            String name =
                    path == null ? null : Path.of(path.toString()).getFileName().toString();
            if ("exec".equals(event) && name != null) {
                counts.computeIfAbsent("exec:" + name, k -> new LongAdder()).increment();
            } else if ("exit".equals(event)
                    && name != null
                    && Integer.valueOf(0).equals(p.get("exitCode"))) {
                counts.computeIfAbsent("exit0:" + name, k -> new LongAdder()).increment();
            }
        }
        if ("file".equals(r.kind())) {
            counts.computeIfAbsent("file by " + p.get("mechanism"), k -> new LongAdder())
                    .increment();
        }
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** " by" what watched the files in a run ({@code fanotify}, {@code inotifywait}), from its records; "" if none. */
    private static String fileMechanisms(Run b) {
        String by = b.counts().keySet().stream()
                .filter(k -> k.startsWith("file by "))
                .map(k -> k.substring("file by ".length()))
                .sorted()
                .collect(Collectors.joining("+"));
        return by.isEmpty() ? "" : " by " + by;
    }

    /**
     * The auditing must really have happened: every exec the workload is known to make, each ended with 0, and for
     * the build each object file written as a file event; nothing dropped.
     */
    private static void check(Workload workload, Mode mode, Run b) {
        List<String> missing = new ArrayList<>();
        workload.execs().forEach((name, expected) -> {
            long execs = b.counts().getOrDefault("exec:" + name, 0L);
            if (execs != expected) {
                missing.add(String.format(Locale.ROOT, "%s: %d execs, %d expected", name, execs, expected));
            }
        });
        workload.exits().forEach((name, expected) -> {
            long exits = b.counts().getOrDefault("exit0:" + name, 0L);
            if (exits != expected) {
                missing.add(String.format(Locale.ROOT, "%s: %d exits with 0, %d expected", name, exits, expected));
            }
        });
        long dropped = b.counters().values().stream()
                .mapToLong(SourceCounters::dropped)
                .sum();
        if (dropped > 0) {
            missing.add(dropped + " events dropped");
        }
        long files = workload.execs().getOrDefault("cc1", 0L);
        if (b.counts().getOrDefault("file", 0L) < files) {
            missing.add(b.counts().getOrDefault("file", 0L) + " file events, at least " + files + " expected");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the workload audited with " + mode + " was not captured whole: " + missing
                    + "; counts " + b.counts() + "; counters " + b.counters());
        }
    }

    private static void report(Workload workload, Map<Mode, double[]> seconds, Map<Mode, List<Run>> runs) {
        double plain = Stats.median(seconds.get(Mode.UNAUDITED));
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-58s %9s %9s %9s %9s%n", "s", "median", "min", "max", "overhead");
        for (Mode mode : Mode.values()) {
            double[] s = seconds.get(mode);
            String label = switch (mode) {
                case UNAUDITED -> "unaudited";
                case STRACE -> "audited, process source by strace (following it)";
                case EBPF -> "audited, process source by eBPF (its cgroup)";
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
        for (Mode mode : List.of(Mode.STRACE, Mode.EBPF)) {
            List<Run> b = runs.get(mode);
            Run typical = b.get(b.size() - 1);
            double audited = Stats.median(seconds.get(mode));
            double overhead = audited / plain - 1;
            boolean met = overhead < AIM_OVERHEAD;
            String name = mode.name().toLowerCase(Locale.ROOT);
            System.out.printf(
                    Locale.ROOT,
                    "  %s: per run %d execs, %d exits, %d file events%s captured, every one expected; "
                            + "overhead %+.1f%%: aim under %.0f%% %s%n",
                    name,
                    typical.counts().getOrDefault("process.exec", 0L),
                    typical.counts().getOrDefault("process.exit", 0L),
                    typical.counts().getOrDefault("file", 0L),
                    fileMechanisms(typical),
                    overhead * 100,
                    AIM_OVERHEAD * 100,
                    met ? "met" : "NOT met");
            Stats.summaryRow(
                    "P5 " + workload.name() + ", process source by " + name,
                    String.format(
                            Locale.ROOT,
                            "%.2f s (%d execs, %d exits)",
                            audited,
                            typical.counts().getOrDefault("process.exec", 0L),
                            typical.counts().getOrDefault("process.exit", 0L)),
                    String.format(Locale.ROOT, "unaudited: %.2f s", plain),
                    String.format(Locale.ROOT, "%+.1f%% time", overhead * 100),
                    String.format(Locale.ROOT, "< %.0f%%: %s", AIM_OVERHEAD * 100, met ? "met" : "NOT met"));
        }
    }
}
