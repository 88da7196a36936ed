package io.gitcrq.cli.hook;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.http.Credentials;
import io.gitcrq.cli.http.Service;
import io.gitcrq.cli.http.ServiceClient;
import io.gitcrq.cli.http.ServiceProblemException;
import io.gitcrq.cli.http.ServiceUnreachableException;
import io.gitcrq.cli.output.Json;
import io.gitcrq.cli.process.CliFailure;
import io.gitcrq.model.policy.BranchNameVerdict;
import io.gitcrq.model.policy.CommitMessage;
import io.gitcrq.model.policy.CrqReferences;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * git's {@code pre-receive} hook on the server's bare repository: refuses a push that creates or moves a
 * badly named branch or brings a commit linked to no CRQ, and — when {@code gitcrq.crqUrl} is configured —
 * a commit linked to a CRQ that is not open. Every refusal says what to do; the whole push is refused, so
 * nothing half-lands.
 */
public final class PreReceiveHook {

    /** The environment variable holding the password of {@code gitcrq.user}; never printed. */
    public static final String PASSWORD_VARIABLE = "GITCRQ_HOOK_PASSWORD";

    /** The environment variable holding a bearer token for crq-service (production); wins over the password. */
    public static final String TOKEN_VARIABLE = "GITCRQ_HOOK_TOKEN";

    static final Set<String> OPEN_STATUSES = Set.of("DRAFT", "SUBMITTED", "APPROVED");

    private record NewCommit(String id, CommitMessage message) {
        String shortId() {
            return id.substring(0, Math.min(12, id.length()));
        }
    }

    private PreReceiveHook() {}

    public static void run(Git git, InputStream refs, Map<String, String> env) {
        RepoSettings settings = RepoSettings.read(git);
        List<String> problems = new ArrayList<>();
        Map<String, String> firstCommitPerCrq = new LinkedHashMap<>();
        for (RefUpdate update : RefUpdate.readPreReceive(refs)) {
            if (update.deletes()) {
                continue;
            }
            String branch = update.branch();
            String branchCrq = null;
            if (branch != null) {
                BranchNameVerdict verdict = settings.policy().branchNames().evaluate(branch);
                if (!verdict.valid()) {
                    problems.add(verdict.problem() + "\n      push it under a conforming name instead: "
                            + "git push <remote> " + branch + ":"
                            + settings.policy().branchNames().example()
                            + "\n      rule: " + settings.policy().branchNames().rule());
                    continue; // its commits are judged when it comes under a good name
                }
                branchCrq = verdict.crqId();
            }
            if (!settings.policy().requireLinkedCommits() && settings.crqUrl() == null) {
                continue;
            }
            for (NewCommit commit : newCommits(git, update.newId())) {
                List<String> linked = CrqReferences.ofCommit(commit.message(), branchCrq);
                if (linked.isEmpty() && settings.policy().requireLinkedCommits()) {
                    problems.add("commit " + commit.shortId() + " '"
                            + commit.message().subject() + "' (to "
                            + update.ref() + ") is linked to no CRQ"
                            + "\n      name one in its message ('CRQ-12: ...' or a last paragraph 'CRQ: CRQ-12'): "
                            + "git commit --amend, or git rebase -i and reword;"
                            + "\n      or push it on its CRQ's branch ("
                            + settings.policy().branchNames().example()
                            + ")");
                }
                linked.forEach(crq -> firstCommitPerCrq.putIfAbsent(crq, commit.shortId()));
            }
        }
        if (problems.isEmpty() && settings.crqUrl() != null && !firstCommitPerCrq.isEmpty()) {
            problems.addAll(closedCrqs(settings, env, firstCommitPerCrq));
        }
        if (!problems.isEmpty()) {
            throw CliFailure.refused("push refused by gitcrq:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** The new commits {@code newId} brings: those no ref of the repository reaches yet. */
    private static List<NewCommit> newCommits(Git git, String newId) {
        String log = git.output("log", "-z", "--format=%H%n%B", newId, "--not", "--all");
        List<NewCommit> commits = new ArrayList<>();
        for (String entry : log.split("\0")) {
            if (entry.isBlank()) {
                continue;
            }
            int newline = entry.indexOf('\n');
            String id = (newline < 0 ? entry : entry.substring(0, newline)).strip();
            commits.add(new NewCommit(id, CommitMessage.of(newline < 0 ? "" : entry.substring(newline + 1))));
        }
        return commits;
    }

    /** Asks crq-service about each CRQ; one problem per CRQ that is missing or not open. */
    private static List<String> closedCrqs(
            RepoSettings settings, Map<String, String> env, Map<String, String> firstCommitPerCrq) {
        Credentials credentials;
        String token = env.get(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            credentials = Credentials.bearer(token.strip(), TOKEN_VARIABLE);
        } else {
            String password = env.get(PASSWORD_VARIABLE);
            if (settings.user() == null || password == null || password.isEmpty()) {
                return List.of("cannot check the CRQs' status: gitcrq.crqUrl is set but "
                        + (settings.user() == null
                                ? "gitcrq.user is not"
                                : PASSWORD_VARIABLE + " is not set for the server")
                        + "\n      the repository's admin sets " + TOKEN_VARIABLE + ", or gitcrq.user (git config) and "
                        + PASSWORD_VARIABLE + " (the environment the git server runs in), or unsets gitcrq.crqUrl");
            }
            credentials = Credentials.basic(settings.user(), password);
        }
        ServiceClient crqService = new ServiceClient(Service.CRQ, trimSlash(settings.crqUrl()), () -> credentials);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : firstCommitPerCrq.entrySet()) {
            String crq = entry.getKey();
            String commit = entry.getValue();
            try {
                JsonNode view = crqService.get("/crqs/" + ServiceClient.segment(crq));
                String status = Json.text(view, "status");
                if (status == null || !OPEN_STATUSES.contains(status)) {
                    problems.add(crq + " (named by commit " + commit + ") is " + status + ", not open (DRAFT, "
                            + "SUBMITTED or APPROVED): its work is done or dropped"
                            + "\n      link the commits to an open CRQ (create one: gitcrq crq create ...) and "
                            + "reword them (git rebase -i)");
                }
            } catch (ServiceProblemException e) {
                if (e.status() == 404) {
                    problems.add(crq + " (named by commit " + commit + ") does not exist"
                            + "\n      check the id (gitcrq crq list) and reword the commit (git commit --amend, "
                            + "git rebase -i)");
                } else if (e.status() == 401 || e.status() == 403) {
                    return List.of("cannot check the CRQs' status: crq-service refused "
                            + (credentials.isToken() ? credentials.who() : "gitcrq.user '" + settings.user() + "'")
                            + " (HTTP " + e.status() + ")"
                            + "\n      the repository's admin fixes "
                            + (credentials.isToken() ? TOKEN_VARIABLE : "gitcrq.user or " + PASSWORD_VARIABLE));
                } else {
                    return List.of("cannot check the CRQs' status: crq-service answered HTTP " + e.status() + " for "
                            + crq + "\n      try the push again later");
                }
            } catch (ServiceUnreachableException e) {
                return List.of("cannot check the CRQs' status: crq-service at " + settings.crqUrl()
                        + " is unreachable\n      try the push again later, or the admin unsets gitcrq.crqUrl");
            } catch (CliFailure e) {
                return List.of("cannot check the CRQs' status: " + e.getMessage() + "\n      try the push again later");
            }
        }
        return problems;
    }

    private static String trimSlash(String url) {
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
