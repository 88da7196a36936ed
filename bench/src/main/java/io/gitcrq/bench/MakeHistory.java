package io.gitcrq.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * Generates a bare repository of exactly N commits with {@code git fast-import} (deterministic: a fixed seed),
 * for the P2 history scan: {@code main} with feature branches merged into it, plus a few unmerged branches.
 * Messages are a mix of subject prefixes ({@code CRQ-12: …}, {@code [crq-7] …}), body mentions,
 * {@code CRQ: CRQ-3} trailers and unlinked ones (some with look-alikes that must not count: {@code XCRQ-5},
 * {@code CRQ-0}, {@code CRQ-12a}). Writes {@code gitcrq-bench.properties} into the repository: how many commits
 * {@code main} reaches and how many of those the generator linked, which the benchmark checks its counts against.
 *
 * <pre>java -cp … io.gitcrq.bench.MakeHistory N DIR</pre>
 */
public final class MakeHistory {

    /** Bump when the generated history changes, so cached repositories are made again. */
    public static final int VERSION = 1;

    public static final String EXPECTED_FILE = "gitcrq-bench.properties";

    private static final String[] PEOPLE = {
        "Alice Martin <alice@example.com>", "Bob Okafor <bob@example.com>", "Chen Wei <chen.wei@example.com>",
        "Dave Müller <dave@example.org>", "Eva Novák <eva.novak@example.net>", "Farid Haddad <farid@example.com>",
        "Grace Hopkins <grace@example.com>", "Hiro Tanaka <hiro@example.jp>", "Inès Laurent <ines@example.fr>",
        "José García <jose@example.es>", "Kim Lee <kim@example.com>", "build-bot <ci@example.com>"
    };
    private static final String[] VERBS = {
        "Fix",
        "Add",
        "Remove",
        "Refactor",
        "Update",
        "Document",
        "Speed up",
        "Simplify",
        "Rename",
        "Guard",
        "Log",
        "Test",
        "Handle",
        "Cache",
        "Validate",
        "Retry"
    };
    private static final String[] THINGS = {
        "session timeout",
        "login form",
        "webhook delivery",
        "merge queue",
        "audit export",
        "branch naming check",
        "pagination",
        "config loader",
        "retry policy",
        "null check",
        "schema migration",
        "REST client",
        "error message",
        "tmux pane handling",
        "connection pool",
        "rate limiter",
        "password reset",
        "CSV import",
        "search index",
        "metrics endpoint",
        "build script",
        "dependency versions",
        "date parsing",
        "cache eviction",
        "outbox relay",
        "health check"
    };
    private static final String[] QUALIFIERS = {
        "",
        "",
        "",
        " in the CLI",
        " for large repos",
        " on shutdown",
        " under load",
        " when the broker restarts",
        " for admins",
        " (follow-up)",
        " again",
        " in tests"
    };
    private static final String[] WORDS = ("the a an this that which when while because so then before after "
                    + "request response value handler service client server queue branch commit message user session "
                    + "timeout retry cache index table column row field error warning log metric check test build "
                    + "release config setting default option flag path file directory stream buffer lock thread "
                    + "is was are were be been has have had does did can could should would may might must "
                    + "now still only also already never always often sometimes again first last next previous "
                    + "slow fast large small empty full broken stable flaky safe unsafe old new")
            .split(" ");
    // Look-alikes that name no CRQ (a letter before, a zero, a letter after, no dash, no number).
    private static final String[] LOOK_ALIKES = {
        "XCRQ-5", "CRQ-0", "CRQ-12a", "crq 12", "CRQ-", "ACRQ-77", "crq_9", "CRQ-3b"
    };

    private final Random random = new Random(20261126L);
    private final OutputStream out;
    private int marks;
    private long time = 1_577_836_800L; // 2020-01-01T00:00:00Z
    private int crqs;
    private int made;
    private long mainReach;
    private long mainLinked;

    private MakeHistory(OutputStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(VERSION); // names the cache bench/run.sh keeps the repository in
            return;
        }
        if (args.length != 2) {
            System.err.println("usage: MakeHistory N DIR   (a bare repository of N commits is made in DIR)");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0].replace("_", ""));
        Path dir = Path.of(args[1]).toAbsolutePath();
        if (n < 100) {
            throw new IllegalArgumentException("N must be at least 100");
        }
        if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
            throw new IllegalArgumentException(dir + " exists and is not empty");
        }
        long start = System.nanoTime();
        Files.createDirectories(dir);
        run(dir, "git", "init", "-q", "--bare", "-b", "main", ".");
        Process importer = new ProcessBuilder("git", "fast-import", "--quiet", "--done")
                .directory(dir.toFile())
                .inheritIO()
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        MakeHistory history;
        try (OutputStream stream = new BufferedOutputStream(importer.getOutputStream(), 1 << 20)) {
            history = new MakeHistory(stream);
            history.generate(n);
            stream.write("done\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (importer.waitFor() != 0) {
            throw new IllegalStateException("git fast-import failed");
        }
        System.err.printf(
                Locale.ROOT,
                "imported %,d commits in %.1f s; packing (git gc) …%n",
                history.made,
                (System.nanoTime() - start) / 1e9);
        run(dir, "git", "gc", "--quiet");
        Properties expected = new Properties();
        expected.setProperty("version", String.valueOf(VERSION));
        expected.setProperty("commits", String.valueOf(history.made));
        expected.setProperty("head", "refs/heads/main");
        expected.setProperty("mainCommits", String.valueOf(history.mainReach));
        expected.setProperty("mainLinked", String.valueOf(history.mainLinked));
        try (var writer = Files.newBufferedWriter(dir.resolve(EXPECTED_FILE))) {
            expected.store(writer, "made by io.gitcrq.bench.MakeHistory");
        }
        System.err.printf(
                Locale.ROOT,
                "made %s: %,d commits, %,d reachable from main, %,d of those linked (%.1f s)%n",
                dir,
                history.made,
                history.mainReach,
                history.mainLinked,
                (System.nanoTime() - start) / 1e9);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir);
        }
    }

    /** N commits: main (direct commits and merged feature branches), then four unmerged branches. */
    private void generate(int n) throws IOException {
        int unmergedBranches = 4;
        int reserved = unmergedBranches * 3;
        int mainTip = commit("refs/heads/main", 0, 0, "Initial import\n\nProject skeleton, build and CI.\n", true);
        mainReach++;
        List<Integer> mainHistory = new ArrayList<>();
        mainHistory.add(mainTip);
        while (made < n - reserved) {
            int room = n - reserved - made;
            if (room >= 4 && random.nextInt(100) < 12) {
                // A feature branch of 2..6 commits, merged back with a merge commit.
                int length = Math.min(2 + random.nextInt(5), room - 1);
                int crq = ++crqs;
                String branch = branchName(crq);
                int tip = mainTip;
                for (int i = 0; i < length; i++) {
                    Message m = message(crq, 70);
                    tip = commit("refs/heads/main", tip, 0, m.text, false);
                    count(m.linked);
                }
                Message merge = mergeMessage(branch, crq);
                mainTip = commit("refs/heads/main", mainTip, tip, merge.text, false);
                count(merge.linked);
            } else {
                Message m = message(1 + random.nextInt(Math.max(1, crqs + 40)), 60);
                mainTip = commit("refs/heads/main", mainTip, 0, m.text, false);
                count(m.linked);
            }
            mainHistory.add(mainTip);
        }
        // Branches nobody merged yet: they start somewhere on main and are not reachable from it.
        for (int b = 0; b < unmergedBranches; b++) {
            int crq = ++crqs;
            String ref = "refs/heads/" + branchName(crq);
            int tip = mainHistory.get(mainHistory.size() - 1 - random.nextInt(Math.min(500, mainHistory.size())));
            int length = b == unmergedBranches - 1 ? n - made : 3;
            for (int i = 0; i < length; i++) {
                tip = commit(ref, tip, 0, message(crq, 70).text, false);
            }
        }
    }

    private void count(boolean linked) {
        mainReach++;
        if (linked) {
            mainLinked++;
        }
    }

    private String branchName(int crq) {
        String[] types = {"feature", "feature", "feature", "bugfix", "hotfix", "chore"};
        String thing =
                THINGS[random.nextInt(THINGS.length)].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return types[random.nextInt(types.length)] + "/CRQ-" + crq + "-" + thing;
    }

    /** Writes one commit; {@code from}/{@code merge} are marks (0: none). Returns its mark. */
    private int commit(String ref, int from, int merge, String message, boolean root) throws IOException {
        int mark = ++marks;
        made++;
        time += 30 + random.nextInt(3600);
        String author = PEOPLE[random.nextInt(PEOPLE.length)];
        String committer = random.nextInt(4) == 0 ? PEOPLE[random.nextInt(PEOPLE.length)] : author;
        StringBuilder head = new StringBuilder(256)
                .append("commit ")
                .append(ref)
                .append('\n')
                .append("mark :")
                .append(mark)
                .append('\n')
                .append("author ")
                .append(author)
                .append(' ')
                .append(time - random.nextInt(86_400))
                .append(" +0100\n")
                .append("committer ")
                .append(committer)
                .append(' ')
                .append(time)
                .append(" +0000\n");
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        write(head.append("data ").append(text.length).append('\n'));
        out.write(text);
        StringBuilder tail = new StringBuilder(256).append('\n');
        if (!root) {
            tail.append("from :").append(from).append('\n');
        }
        if (merge != 0) {
            tail.append("merge :").append(merge).append('\n');
        } else {
            // One file changes: src/<module>/<File>.java, 20 modules of 40 files.
            String path = "src/module" + random.nextInt(20) + "/File" + random.nextInt(40) + ".java";
            String content = "// " + path + " as of change " + mark + "\nclass Change" + mark + " {\n    int value = "
                    + random.nextInt(1_000_000) + ";\n}\n";
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            tail.append("M 100644 inline ")
                    .append(path)
                    .append('\n')
                    .append("data ")
                    .append(data.length)
                    .append('\n');
            write(tail);
            out.write(data);
            tail.setLength(0);
        }
        tail.append('\n');
        write(tail);
        return mark;
    }

    private void write(CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private record Message(String text, boolean linked) {}

    /** A message naming {@code crq} in one of the usual ways {@code linkedPercent}% of the time. */
    private Message message(int crq, int linkedPercent) {
        String subject = subject();
        String body = random.nextInt(3) == 0 ? "" : body();
        int dice = random.nextInt(100);
        if (dice >= linkedPercent) {
            // Unlinked; a fifth of these carry a look-alike that names no CRQ.
            if (random.nextInt(5) == 0) {
                String lookAlike = LOOK_ALIKES[random.nextInt(LOOK_ALIKES.length)];
                if (random.nextBoolean()) {
                    subject = subject + " (" + lookAlike + ")";
                } else {
                    body = (body.isEmpty() ? "" : body + "\n") + "Not related to " + lookAlike + ".\n";
                }
            }
            return new Message(join(subject, body, random.nextInt(6) == 0 ? signedOff() : ""), false);
        }
        int how = dice * 100 / linkedPercent; // 0..99 over the linked ones
        String id = (random.nextInt(8) == 0 ? "crq-" : "CRQ-") + crq;
        if (how < 40) {
            return new Message(join(id + ": " + subject, body, random.nextInt(6) == 0 ? signedOff() : ""), true);
        }
        if (how < 60) {
            String bracket = random.nextBoolean() ? "[crq-" + crq + "]" : "[CRQ-" + crq + "]";
            return new Message(join(bracket + " " + subject, body, ""), true);
        }
        if (how < 75) {
            String mention = switch (random.nextInt(3)) {
                case 0 -> "This follows up on " + id + ", where the first attempt " + words(6) + ".";
                case 1 -> "Part of " + id + ".";
                default -> "See " + id.toLowerCase(Locale.ROOT) + " for the discussion; " + words(5) + ".";
            };
            String withMention = body.isEmpty() ? mention + "\n" : body + "\n" + mention + "\n";
            return new Message(join(subject, withMention, ""), true);
        }
        String trailers = "CRQ: CRQ-" + crq + "\n" + (random.nextInt(3) == 0 ? signedOff() : "");
        return new Message(join(subject, body, trailers), true);
    }

    private Message mergeMessage(String branch, int crq) {
        if (random.nextBoolean()) {
            return new Message("Merge branch '" + branch + "'\n\nCRQ: CRQ-" + crq + "\n", true);
        }
        return new Message("Merge branch '" + branch + "' into main\n", true);
    }

    private static String join(String subject, String body, String trailers) {
        StringBuilder text = new StringBuilder(subject).append('\n');
        if (!body.isEmpty()) {
            text.append('\n').append(body);
        }
        if (!trailers.isEmpty()) {
            text.append('\n').append(trailers);
        }
        return text.toString();
    }

    private String subject() {
        return VERBS[random.nextInt(VERBS.length)] + " " + THINGS[random.nextInt(THINGS.length)]
                + QUALIFIERS[random.nextInt(QUALIFIERS.length)];
    }

    /** One or two paragraphs of wrapped prose, each ending with a newline. */
    private String body() {
        StringBuilder body = new StringBuilder();
        int paragraphs = 1 + random.nextInt(2);
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                body.append('\n');
            }
            int lines = 1 + random.nextInt(4);
            for (int l = 0; l < lines; l++) {
                String line = words(7 + random.nextInt(6));
                body.append(Character.toUpperCase(line.charAt(0)))
                        .append(line, 1, line.length())
                        .append(l == lines - 1 ? ".\n" : "\n");
            }
        }
        return body.toString();
    }

    private String words(int count) {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                words.append(' ');
            }
            words.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return words.toString();
    }

    private String signedOff() {
        return "Signed-off-by: " + PEOPLE[random.nextInt(PEOPLE.length)] + "\n";
    }
}
