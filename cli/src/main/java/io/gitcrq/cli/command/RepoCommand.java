package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.CrqText;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.ProgressBar;
import io.gitcrq.cli.output.Table;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.api.git.RegisterRepoRequest;
import io.gitcrq.model.api.git.RepoView;
import io.gitcrq.model.api.git.ScanProgress;
import io.gitcrq.model.api.git.UnlinkedCommit;
import io.gitcrq.model.api.git.UnlinkedPage;
import io.gitcrq.model.api.git.ViolationView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gitcrq repo ...}: repositories that git-watcher watches, the policy violations it found, history scans
 * (backfills) and the commits linked to no CRQ.
 */
@Command(
        name = "repo",
        mixinStandardHelpOptions = true,
        description = "Watch repositories, list them, poll them, scan their history and show branch policy "
                + "violations and commits linked to no CRQ.")
public class RepoCommand extends GroupCommand {

    // "https://host/x.git", "ssh://...", "file:///..." and scp-like "git@host:team/x.git" are remote locations;
    // everything else is a local path.
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final Pattern SCP_LIKE = Pattern.compile("^[^/\\\\]+@[^/\\\\:]+:.*");

    @ParentCommand
    CommandContext cli;

    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = "Start watching a Git repository (a local path or a URL).")
    int watch(
            @Parameters(paramLabel = "LOCATION", description = "Path or URL of the repository.") String location,
            @Option(
                            names = "--name",
                            paramLabel = "NAME",
                            description = "Name in gitcrq (default: last path segment without .git).")
                    String name,
            @Option(
                            names = "--default-branch",
                            defaultValue = "main",
                            paramLabel = "BRANCH",
                            description = "Long-lived branch (default: ${DEFAULT-VALUE}).")
                    String defaultBranch,
            @Option(
                            names = "--webhook-name",
                            paramLabel = "HOST_PATH",
                            description = "What the Git host calls the repository in its push webhooks, e.g. acme/demo "
                                    + "(default: NAME).")
                    String webhookName,
            @Option(
                            names = "--webhook-secret-env",
                            paramLabel = "VAR",
                            description = "Environment variable holding the webhook secret the Git host signs pushes "
                                    + "with (never given on the command line, where others could read it).")
                    String webhookSecretEnv) {
        String resolved = resolveLocation(location, cli.environment().workingDirectory());
        String repoName = name != null ? name : defaultName(resolved);
        String secret = null;
        if (webhookSecretEnv != null) {
            secret = cli.environment().variable(webhookSecretEnv);
            if (secret == null || secret.isEmpty()) {
                throw new CliFailure(
                        CliFailure.USAGE,
                        "--webhook-secret-env: environment variable " + webhookSecretEnv + " is not set");
            }
        }
        JsonNode answer = gitWatcher()
                .post("/repos", new RegisterRepoRequest(repoName, resolved, defaultBranch, webhookName, secret));
        cli.printer().print(answer, out -> {
            RepoView repo = ApiBodies.read(answer, RepoView.class);
            out.println("watching " + repoName + " (" + resolved + "), default branch " + defaultBranch);
            if (repo.webhookEnabled()) {
                out.println("push webhooks: POST <git-watcher>/webhooks/github|gitlab|gitea for "
                        + (repo.webhookName() == null || repo.webhookName().isBlank() ? repoName : repo.webhookName()));
            }
        });
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List watched repositories.")
    int list() {
        JsonNode answer = gitWatcher().get("/repos");
        cli.printer().print(answer, out -> {
            List<RepoView> repos = ApiBodies.list(answer, RepoView.class);
            if (repos.isEmpty()) {
                out.println("no watched repositories");
                return;
            }
            Table table = new Table(
                    "NAME", "DEFAULT_BRANCH", "LOCATION", "REMOTE", "REGISTERED_AT", "WEBHOOK_NAME", "WEBHOOK_ENABLED");
            for (RepoView repo : repos) {
                table.row(
                        repo.name(),
                        repo.defaultBranch(),
                        repo.location(),
                        String.valueOf(repo.remote()),
                        Json.time(repo.registeredAt()),
                        repo.webhookName(),
                        String.valueOf(repo.webhookEnabled()));
            }
            table.print(out);
        });
        return 0;
    }

    @Command(
            name = "violations",
            mixinStandardHelpOptions = true,
            description = "Show branch naming and other policy violations git-watcher found.")
    int violations(@Option(names = "--repo", paramLabel = "REPO", description = "Only this repository.") String repo) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("repo", repo);
        JsonNode answer = gitWatcher().get("/violations" + ServiceClient.query(query));
        cli.printer().print(answer, out -> {
            List<ViolationView> violations = ApiBodies.list(answer, ViolationView.class);
            if (violations.isEmpty()) {
                out.println("no violations");
                return;
            }
            Table table = new Table("DETECTED_AT", "REPO", "RULE", "REF", "COMMIT_ID", "DETAIL");
            for (ViolationView violation : violations) {
                table.row(
                        Json.time(violation.detectedAt()),
                        violation.repo(),
                        violation.rule(),
                        violation.ref(),
                        violation.commitId(),
                        violation.detail());
            }
            table.print(out);
        });
        return 0;
    }

    @Command(
            name = "unwatch",
            mixinStandardHelpOptions = true,
            description = {
                "Stop watching a repository (its owner or an admin): its pushes are no longer announced nor checked,",
                "merge-bot no longer merges into it; what was recorded stays. A repository from git-watcher's",
                "configuration comes back at its next start unless taken out there too."
            })
    int unwatch(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode result = gitWatcher().send("DELETE", "/repos/" + ServiceClient.segment(repo), null);
        cli.printer().print(result, out -> out.println("no longer watching " + repo));
        return 0;
    }

    @Command(
            name = "poll",
            mixinStandardHelpOptions = true,
            description = "Ask git-watcher to look at a repository now instead of waiting for its next poll.")
    int poll(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode result = gitWatcher().post("/repos/" + ServiceClient.segment(repo) + "/poll", null);
        cli.printer().print(result, out -> out.println("polled " + repo));
        return 0;
    }

    @Command(
            name = "scan",
            mixinStandardHelpOptions = true,
            description = {
                "Scan a repository's existing history (a backfill): every commit never announced "
                        + "becomes a CommitPushed, linked to the CRQs its message names.",
                "Waits for the scan, drawing its progress on stderr; --no-wait only starts it."
            },
            footer = {"", "Example: gitcrq repo scan webapp --branch release/2.x"})
    int scan(
            @Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo,
            @Option(
                            names = "--branch",
                            paramLabel = "BRANCH",
                            description = "Only this branch's own commits (default: every branch).")
                    String branch,
            @Option(
                            names = "--wait",
                            negatable = true,
                            defaultValue = "true",
                            fallbackValue = "true",
                            description = "Wait for the scan to end (default); --no-wait returns once it started.")
                    boolean waitForScan)
            throws InterruptedException {
        ServiceClient gitWatcher = gitWatcher();
        String path = scanPath(repo);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("branch", branch);
        JsonNode started = gitWatcher.post(path + ServiceClient.query(query), null);
        if (!waitForScan) {
            cli.printer()
                    .print(
                            started,
                            out -> out.println("history scan of " + repo + " started ("
                                    + scope(ApiBodies.read(started, ScanProgress.class))
                                    + "); see how far it got with: gitcrq repo scan-status " + repo));
            return 0;
        }
        ProgressBar bar = new ProgressBar(cli.environment().err(), "commits");
        JsonNode answer = started;
        ScanProgress progress = ApiBodies.read(answer, ScanProgress.class);
        try {
            while (progress.state() == ScanProgress.State.RUNNING) {
                bar.show(progress.scanned(), progress.total());
                Thread.sleep(cli.environment().pollInterval().toMillis());
                answer = gitWatcher.get(path);
                progress = ApiBodies.read(answer, ScanProgress.class);
            }
            bar.show(progress.scanned(), progress.total());
        } finally {
            bar.end();
        }
        ScanProgress last = progress;
        cli.printer().print(answer, out -> out.println(scanSummary(repo, last)));
        return scanOutcome(repo, last);
    }

    @Command(
            name = "scan-status",
            mixinStandardHelpOptions = true,
            description = "Show how far the running history scan of a repository got, or how the last one ended.")
    int scanStatus(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode answer = gitWatcher().get(scanPath(repo));
        cli.printer().print(answer, out -> {
            ScanProgress progress = ApiBodies.read(answer, ScanProgress.class);
            if (progress.state() == ScanProgress.State.RUNNING) {
                out.println("history scan of " + repo + " (" + scope(progress) + ") running since "
                        + Json.time(progress.startedAt()) + ": "
                        + ProgressBar.render(progress.scanned(), progress.total(), "commits"));
            } else {
                out.println(scanSummary(repo, progress));
            }
        });
        return 0;
    }

    @Command(
            name = "unlinked",
            mixinStandardHelpOptions = true,
            description = "List the commits git-watcher announced without any CRQ (neither their message nor their "
                    + "branch names one), newest first.",
            footer = {
                "",
                "Example: gitcrq repo unlinked webapp --branch main --from 2025-03-01 --to 2025-04-01T00:00:00Z"
            })
    int unlinked(
            @Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo,
            @Option(names = "--branch", paramLabel = "BRANCH", description = "Only commits announced on this branch.")
                    String branch,
            @Option(
                            names = "--from",
                            paramLabel = "TIME",
                            description =
                                    "Committed at or after TIME (ISO-8601, e.g. 2025-03-01T09:00:00Z, or a date).")
                    String from,
            @Option(names = "--to", paramLabel = "TIME", description = "Committed before TIME (ISO-8601 or a date).")
                    String to,
            @Option(names = "--page", paramLabel = "N", description = "Page number, from 0.") Integer page,
            @Option(names = "--size", paramLabel = "N", description = "Commits per page (1 to 500, default 50).")
                    Integer size) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("branch", branch);
        query.put("from", from);
        query.put("to", to);
        query.put("page", page);
        query.put("size", size);
        JsonNode answer = gitWatcher()
                .get("/repos/" + ServiceClient.segment(repo) + "/unlinked-commits" + ServiceClient.query(query));
        cli.printer().print(answer, out -> {
            UnlinkedPage report = ApiBodies.read(answer, UnlinkedPage.class);
            List<UnlinkedCommit> commits = report.commits() == null ? List.of() : report.commits();
            if (commits.isEmpty()) {
                out.println("no unlinked commits");
            } else {
                Table table = new Table("COMMIT", "COMMITTED", "BRANCH", "AUTHOR", "SUBJECT");
                for (UnlinkedCommit commit : commits) {
                    table.row(
                            CrqText.shortSha(commit.commitId()),
                            Json.time(commit.committedAt()),
                            commit.branch(),
                            commit.authorEmail() == null || commit.authorEmail().isBlank()
                                    ? commit.authorName()
                                    : commit.authorEmail(),
                            commit.subject());
                }
                table.print(out);
            }
            out.println("page " + report.page() + ", size " + report.size() + ", total " + report.total());
        });
        return 0;
    }

    /** URLs as they are; local paths made absolute, because git-watcher does not run in our directory. */
    static String resolveLocation(String location, Path workingDirectory) {
        if (URL.matcher(location).matches() || SCP_LIKE.matcher(location).matches()) {
            return location;
        }
        return workingDirectory.resolve(location).toAbsolutePath().normalize().toString();
    }

    /** {@code /src/demo.git} → {@code demo}; {@code git@host:team/app.git} → {@code app}. */
    static String defaultName(String location) {
        String trimmed = location.replaceAll("[/\\\\]+$", "");
        String last = trimmed.substring(
                Math.max(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')), trimmed.lastIndexOf(':')) + 1);
        return last.endsWith(".git") ? last.substring(0, last.length() - 4) : last;
    }

    private static String scanPath(String repo) {
        return "/repos/" + ServiceClient.segment(repo) + "/scan";
    }

    private static String scope(ScanProgress progress) {
        return progress.branch() == null ? "every branch" : "branch " + progress.branch();
    }

    /** One line on how a scan ended (or stands): numbers, and how long it took. */
    static String scanSummary(String repo, ScanProgress progress) {
        long scanned = progress.scanned();
        long emitted = progress.emitted();
        String numbers = ProgressBar.number(scanned) + " commit" + (scanned == 1 ? "" : "s") + " scanned, "
                + ProgressBar.number(emitted) + " announced, " + ProgressBar.number(scanned - emitted)
                + " announced before";
        String took = took(progress.startedAt(), progress.finishedAt());
        String scope = scope(progress);
        return switch (progress.state()) {
            case DONE -> "history scan of " + repo + " (" + scope + ") done: " + numbers + took;
            case FAILED ->
                "history scan of " + repo + " (" + scope + ") FAILED after " + numbers + took + ": "
                        + errorOf(progress);
            case INTERRUPTED ->
                "history scan of " + repo + " (" + scope + ") INTERRUPTED after " + numbers
                        + " (git-watcher stopped during it); start it again: gitcrq repo scan " + repo;
            case RUNNING -> "history scan of " + repo + " (" + scope + ") RUNNING: " + numbers;
        };
    }

    /** 0 for a finished scan; a failed or interrupted one is an error, also for scripts. */
    private int scanOutcome(String repo, ScanProgress progress) {
        if (progress.state() == ScanProgress.State.DONE) {
            return 0;
        }
        cli.environment()
                .err()
                .println("error: history scan of " + repo + " ended " + progress.state()
                        + (progress.state() == ScanProgress.State.FAILED ? ": " + errorOf(progress) : ""));
        cli.environment().err().flush();
        return CliFailure.FAILED;
    }

    private static String errorOf(ScanProgress progress) {
        return progress.error() == null || progress.error().isBlank() ? "no reason given" : progress.error();
    }

    private static String took(Instant startedAt, Instant finishedAt) {
        if (startedAt == null || finishedAt == null) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(startedAt, finishedAt).toSeconds());
        return seconds < 60 ? " in " + seconds + " s" : " in " + seconds / 60 + " min " + seconds % 60 + " s";
    }

    private ServiceClient gitWatcher() {
        return cli.client(Service.GIT_WATCHER);
    }
}
