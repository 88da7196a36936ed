package io.gitcrq.bench;

import io.gitcrq.gitwatcher.git.CommitHistory;
import io.gitcrq.model.policy.CrqReferences;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * P2 history scan: commits per second that gitcrq's own code gets through when it links a whole history to CRQs
 * (git-watcher's {@link CommitHistory#forEachCommit}, the walk its history scan uses, with JGit, every message
 * through {@link CrqReferences#ofCommit}) against {@code git log} over the same commits with an equivalent regex
 * applied to its output in this process. Both must count the same linked commits.
 *
 * <p>git-watcher is a long-running service: its scan code is compiled by the time it scans a repository, whatever
 * that repository's size. So every pass warms up until it has gone through {@code GITCRQ_BENCH_WARMUP_COMMITS}
 * commits (200,000 by default; at least one pass): a small history gets as many passes as a large one gets commits.
 * The first, cold pass of gitcrq and of git are printed beside the figures, not compared.
 *
 * <pre>java -cp … io.gitcrq.bench.HistoryScanBench REPO   (rounds: env GITCRQ_BENCH_ROUNDS, default 5)</pre>
 */
public final class HistoryScanBench {

    /**
     * The reference's linking rule: {@link CrqReferences}' own pattern, case-insensitive {@code CRQ-<n>} not glued
     * to a letter, digit or underscore on either side. The generated history has no {@code CRQ: 12} trailers
     * (a bare number there, which CrqReferences also reads), so one regex over the message is equivalent.
     */
    static final Pattern LINK = Pattern.compile("(?i)(?<![A-Za-z0-9_])CRQ-[1-9][0-9]{0,17}(?![0-9A-Za-z_])");
    /** The same for {@code grep -E}, which has no look-around. */
    static final String GREP_LINK = "(^|[^A-Za-z0-9_])crq-[1-9][0-9]{0,17}([^0-9A-Za-z_]|$)";

    private record Pass(long commits, long linked, double seconds) {
        double perSecond() {
            return commits / seconds;
        }
    }

    private interface Scan {
        Pass run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: HistoryScanBench REPO   (a repository MakeHistory made)");
            System.exit(2);
        }
        Path repo = Path.of(args[0]).toAbsolutePath();
        int rounds = Stats.intSetting("GITCRQ_BENCH_ROUNDS", 5);
        int warmupCommits = Stats.intSetting("GITCRQ_BENCH_WARMUP_COMMITS", 200_000);
        Properties expected = new Properties();
        try (Reader reader = Files.newBufferedReader(repo.resolve(MakeHistory.EXPECTED_FILE))) {
            expected.load(reader);
        }
        String head = expected.getProperty("head", "refs/heads/main");
        long expectedCommits = Long.parseLong(expected.getProperty("mainCommits"));
        long expectedLinked = Long.parseLong(expected.getProperty("mainLinked"));

        System.out.printf(
                Locale.ROOT,
                "P2 history scan: %s (%s commits in all, %,d reachable from %s)%n",
                repo,
                String.format(Locale.ROOT, "%,d", Long.parseLong(expected.getProperty("commits"))),
                expectedCommits,
                head);
        int warmupPasses = (int) Math.max(1, (warmupCommits + expectedCommits - 1) / expectedCommits);
        System.out.printf(
                Locale.ROOT,
                "  JVM %s, %d CPUs; %d warm-up pass(es) each (%,d commits), then %d rounds (order rotates)%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                warmupPasses,
                warmupPasses * expectedCommits,
                rounds);

        // Messages kept in memory for the "linking rule alone" breakdown (filled by gitcrq's warm-up pass).
        List<String> messages = new ArrayList<>((int) expectedCommits);
        List<String> names = List.of(
                "gitcrq",
                "git log + regex (Java)",
                "git log | grep -zciE",
                "  walk alone (count)",
                "  linking rule alone");
        List<Scan> scans = List.of(
                () -> gitcrq(repo, head, null),
                () -> gitLogJava(repo, head),
                () -> gitLogGrep(repo, head, expectedCommits),
                () -> walkOnly(repo, head),
                () -> linkOnly(messages));
        // What each pass must have seen (-1: not counted by that pass).
        long[][] expect = {
            {expectedCommits, expectedLinked},
            {expectedCommits, expectedLinked},
            {-1, expectedLinked},
            {expectedCommits, -1},
            {expectedCommits, expectedLinked}
        };
        double[][] rates = new double[scans.size()][rounds];
        long[] linkedSeen = new long[scans.size()];
        Pass coldGitcrq = gitcrq(repo, head, messages);
        check(names.get(0), coldGitcrq, expect[0]);
        Pass coldGit = gitLogJava(repo, head);
        check(names.get(1), coldGit, expect[1]);
        for (int s = 0; s < scans.size(); s++) {
            for (int pass = 0; pass < warmupPasses; pass++) {
                Pass warm = scans.get(s).run();
                check(names.get(s), warm, expect[s]);
                linkedSeen[s] = warm.linked;
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < scans.size(); k++) {
                int s = (r + k) % scans.size();
                Pass pass = scans.get(s).run();
                check(names.get(s), pass, expect[s]);
                rates[s][r] = pass.perSecond();
            }
        }

        System.out.printf(
                Locale.ROOT,
                "  linked commits: gitcrq %,d, git log + regex %,d, grep %,d, generator %,d "
                        + "(of %,d) - all equal%n",
                linkedSeen[0],
                linkedSeen[1],
                linkedSeen[2],
                expectedLinked,
                expectedCommits);
        System.out.printf(
                Locale.ROOT, "  %-24s %14s %14s %14s  %s%n", "", "median c/s", "min c/s", "max c/s", "median time");
        for (int s = 0; s < scans.size(); s++) {
            if (s == 3) {
                System.out.println("  where gitcrq's time goes (not compared):");
            }
            double median = Stats.median(rates[s]);
            System.out.printf(
                    Locale.ROOT,
                    "  %-24s %,14.0f %,14.0f %,14.0f  %.2f s%n",
                    names.get(s),
                    median,
                    Stats.min(rates[s]),
                    Stats.max(rates[s]),
                    expectedCommits / median);
        }
        double gitcrq = Stats.median(rates[0]);
        double reference = Stats.median(rates[1]);
        double grep = Stats.median(rates[2]);
        double ratio = gitcrq / reference;
        System.out.printf(
                Locale.ROOT,
                "  ratio gitcrq / (git log + regex): %.2fx   (aim >= 1.0x: %s)%n",
                ratio,
                ratio >= 1.0 ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "  ratio gitcrq / (git log | grep):  %.2fx%n", gitcrq / grep);
        System.out.printf(
                Locale.ROOT,
                "  first pass of this JVM (cold, not compared): gitcrq %,.0f commits/s, git log + regex %,.0f (%.2fx)%n",
                coldGitcrq.perSecond(),
                coldGit.perSecond(),
                coldGitcrq.perSecond() / coldGit.perSecond());
        Stats.summaryRow(
                String.format(Locale.ROOT, "P2 history scan (%,d commits)", expectedCommits),
                String.format(Locale.ROOT, "%,.0f commits/s", gitcrq),
                String.format(Locale.ROOT, "%,.0f commits/s (git log + regex)", reference),
                String.format(Locale.ROOT, "%.2fx", ratio),
                ">= 1.0x: " + (ratio >= 1.0 ? "met" : "NOT met"));
    }

    private static void check(String name, Pass pass, long[] expected) {
        long commits = expected[0];
        long linked = expected[1];
        if ((commits >= 0 && pass.commits != commits) || (linked >= 0 && pass.linked != linked)) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s saw %,d commits, %,d linked; expected %,d commits, %,d linked",
                    name,
                    pass.commits,
                    pass.linked,
                    commits,
                    linked));
        }
    }

    /**
     * gitcrq's own code: git-watcher's walk (JGit) and the shared linking rule, as the services run them.
     * {@code keep}, when given, collects the messages (for {@link #linkOnly}; untimed use only).
     */
    private static Pass gitcrq(Path dir, String head, List<String> keep) throws IOException {
        long start = System.nanoTime();
        long[] counts = new long[2];
        try (Repository repo = new FileRepositoryBuilder()
                .setGitDir(dir.toFile())
                .setMustExist(true)
                .build()) {
            ObjectId tip = repo.resolve(head);
            CommitHistory.forEachCommit(repo, tip, List.of(), commit -> {
                if (keep != null) {
                    keep.add(commit.message());
                }
                counts[0]++;
                if (!CrqReferences.ofCommit(commit.message(), null).isEmpty()) {
                    counts[1]++;
                }
            });
        }
        return new Pass(counts[0], counts[1], (System.nanoTime() - start) / 1e9);
    }

    /** Breakdown: git-watcher's walk over the same commits reading no message ({@link CommitHistory#count}). */
    private static Pass walkOnly(Path dir, String head) throws IOException {
        long start = System.nanoTime();
        try (Repository repo = new FileRepositoryBuilder()
                .setGitDir(dir.toFile())
                .setMustExist(true)
                .build()) {
            long commits = CommitHistory.count(repo, List.of(repo.resolve(head)), List.of());
            return new Pass(commits, -1, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Breakdown: the linking rule alone, over the messages already in memory. */
    private static Pass linkOnly(List<String> messages) {
        long start = System.nanoTime();
        long linked = 0;
        for (String message : messages) {
            if (!CrqReferences.ofCommit(message, null).isEmpty()) {
                linked++;
            }
        }
        return new Pass(messages.size(), linked, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The reference: {@code git log -z --format=%H%n%B} (hash line, raw message; commits separated by NUL) read
     * from git's stdout here, {@link #LINK} applied to each message.
     */
    private static Pass gitLogJava(Path dir, String head) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process git = new ProcessBuilder("git", "--git-dir=" + dir, "log", "-z", "--format=%H%n%B", head)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        git.getOutputStream().close();
        long commits = 0;
        long linked = 0;
        try (InputStream in = git.getInputStream()) {
            byte[] chunk = new byte[1 << 16];
            byte[] record = new byte[1 << 12];
            int length = 0;
            int read;
            boolean pending = false;
            while ((read = in.read(chunk)) >= 0) {
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b == 0) {
                        commits++;
                        if (matches(record, length)) {
                            linked++;
                        }
                        length = 0;
                        pending = false;
                        continue;
                    }
                    if (length == record.length) {
                        record = Arrays.copyOf(record, record.length * 2);
                    }
                    record[length++] = b;
                    pending = true;
                }
            }
            if (pending) { // -z puts NULs between commits: the last one ends at EOF
                commits++;
                if (matches(record, length)) {
                    linked++;
                }
            }
        }
        if (git.waitFor() != 0) {
            throw new IllegalStateException("git log failed in " + dir);
        }
        return new Pass(commits, linked, (System.nanoTime() - start) / 1e9);
    }

    private static boolean matches(byte[] record, int length) {
        int newline = 0;
        while (newline < length && record[newline] != '\n') {
            newline++;
        }
        int from = Math.min(length, newline + 1); // skip the hash line
        return LINK.matcher(new String(record, from, length - from, StandardCharsets.UTF_8))
                .find();
    }

    /**
     * A second, all-native reference: {@code git log -z --format=%B | grep -zciE}, which counts the linked
     * commits only; its rate is the repository's commit count (the other passes check it) per second.
     */
    private static Pass gitLogGrep(Path dir, String head, long commits) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String script = "git --git-dir=\"$1\" log -z --format=%B \"$2\" | grep -zciE \"$3\"; "
                + "exit $(( ${PIPESTATUS[0]} != 0 ))";
        Process shell = new ProcessBuilder("bash", "-c", script, "bash", dir.toString(), head, GREP_LINK)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        shell.getOutputStream().close();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        if (shell.waitFor() != 0) {
            throw new IllegalStateException("git log | grep failed in " + dir + ": " + out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Pass(commits, Long.parseLong(out), seconds);
    }
}
