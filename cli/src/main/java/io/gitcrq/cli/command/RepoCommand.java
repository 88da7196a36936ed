package io.gitcrq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.GitcrqCli;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code gitcrq repo ...}: repositories that git-watcher watches, and the policy violations it found. */
@Command(name = "repo", mixinStandardHelpOptions = true,
        description = "Watch repositories, list them, poll them and show branch policy violations.")
public class RepoCommand extends GroupCommand {

    // "https://host/x.git", "ssh://...", "file:///..." and scp-like "git@host:team/x.git" are remote locations;
    // everything else is a local path.
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final Pattern SCP_LIKE = Pattern.compile("^[^/\\\\]+@[^/\\\\:]+:.*");

    @ParentCommand
    GitcrqCli cli;

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Start watching a Git repository (a local path or a URL).")
    int watch(@Parameters(paramLabel = "LOCATION", description = "Path or URL of the repository.") String location,
              @Option(names = "--name", paramLabel = "NAME",
                      description = "Name in gitcrq (default: last path segment without .git).") String name,
              @Option(names = "--default-branch", defaultValue = "main", paramLabel = "BRANCH",
                      description = "Long-lived branch (default: ${DEFAULT-VALUE}).") String defaultBranch) {
        String resolved = resolveLocation(location, cli.environment().workingDirectory());
        String repoName = name != null ? name : defaultName(resolved);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("name", repoName);
        body.put("location", resolved);
        body.put("defaultBranch", defaultBranch);
        JsonNode repo = gitWatcher().post("/repos", body);
        cli.printer().print(repo, out -> out.println("watching " + repoName + " (" + resolved + "), default branch "
                + defaultBranch));
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List watched repositories.")
    int list() {
        JsonNode repos = gitWatcher().get("/repos");
        cli.printer().print(repos, out -> printItems(out, Json.items(repos, null),
                List.of("name", "defaultBranch", "location"), "no watched repositories"));
        return 0;
    }

    @Command(name = "violations", mixinStandardHelpOptions = true,
            description = "Show branch naming and other policy violations git-watcher found.")
    int violations(@Option(names = "--repo", paramLabel = "REPO", description = "Only this repository.") String repo) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("repo", repo);
        JsonNode violations = gitWatcher().get("/violations" + ServiceClient.query(query));
        cli.printer().print(violations, out -> printItems(out, Json.items(violations, null),
                List.of("occurredAt", "detectedAt", "at", "repo", "branch", "rule", "kind", "crqId", "problem",
                        "message", "reason"), "no violations"));
        return 0;
    }

    @Command(name = "poll", mixinStandardHelpOptions = true,
            description = "Ask git-watcher to look at a repository now instead of waiting for its next poll.")
    int poll(@Parameters(paramLabel = "REPO", description = "Watched repository name.") String repo) {
        JsonNode result = gitWatcher().post("/repos/" + ServiceClient.segment(repo) + "/poll", null);
        cli.printer().print(result, out -> out.println("polled " + repo));
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
        String last = trimmed.substring(Math.max(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')),
                trimmed.lastIndexOf(':')) + 1);
        return last.endsWith(".git") ? last.substring(0, last.length() - 4) : last;
    }

    private static void printItems(java.io.PrintWriter out, List<JsonNode> items, List<String> columns, String none) {
        if (items.isEmpty()) {
            out.println(none);
        } else {
            Printer.tableOf(items, columns).print(out);
        }
    }

    private ServiceClient gitWatcher() {
        return cli.client(Service.GIT_WATCHER);
    }
}
