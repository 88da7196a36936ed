package io.gitcrq.mcp.service;

import static io.gitcrq.mcp.client.ServiceClient.query;
import static io.gitcrq.mcp.client.ServiceClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import io.gitcrq.mcp.client.OwningService;
import io.gitcrq.mcp.client.ServiceClient;
import io.gitcrq.mcp.config.McpServerConfig;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.domain.ExecRun;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.crq.CreateCrqRequest;
import io.gitcrq.model.api.crq.TransitionRequest;
import io.gitcrq.model.api.exec.StartExecRequest;
import io.gitcrq.model.api.exec.StartWorkflowRequest;
import io.gitcrq.model.api.git.CreateBranchRequest;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the tools do, each as one or a few calls of the owning services' REST APIs made as the caller. Nothing is kept
 * here: crq-service, git-watcher, merge-bot, audit-collector and exec-agent own the state and decide every request.
 */
@ApplicationScoped
public class GitcrqActions {

    /** Statuses in which work on a CRQ may still start (as {@code gitcrq branch start} checks). */
    static final Set<String> OPEN_STATUSES = Set.of("DRAFT", "SUBMITTED", "APPROVED");

    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED");
    private static final String ASCIICAST = "application/x-asciicast";
    private static final Duration POLL = Duration.ofMillis(500);

    private final ServiceClient services;
    private final McpServerConfig config;

    public GitcrqActions(ServiceClient services, McpServerConfig config) {
        this.services = services;
        this.config = config;
    }

    public JsonNode crqList(Caller caller, String status, String repo) {
        return services.get(caller, OwningService.CRQ_SERVICE, query("/crqs", params("status", status, "repo", repo)));
    }

    public JsonNode crqShow(Caller caller, String id) {
        return services.get(caller, OwningService.CRQ_SERVICE, "/crqs/" + crqId(id));
    }

    public JsonNode crqCreate(Caller caller, String title, String description, String repo, String targetBranch) {
        CreateCrqRequest request = new CreateCrqRequest(title, description, repo, targetBranch);
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return services.postOnce(caller, OwningService.CRQ_SERVICE, "/crqs", request);
    }

    public JsonNode crqSubmit(Caller caller, String id, String reason) {
        return services.post(
                caller, OwningService.CRQ_SERVICE, "/crqs/" + crqId(id) + "/submit", new TransitionRequest(reason));
    }

    public JsonNode crqApprove(Caller caller, String id, String reason, String commit) {
        TransitionRequest request = new TransitionRequest(reason, commit);
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
        return services.post(caller, OwningService.CRQ_SERVICE, "/crqs/" + crqId(id) + "/approve", request);
    }

    /**
     * Creates the branch {@code <type>/CRQ-n-<slug>} for an open CRQ, from its target branch, in its repository (as
     * {@code gitcrq branch start} does); git-watcher judges the name by the repository's policy.
     */
    public JsonNode branchStart(Caller caller, String id, String type, String description) {
        CrqId crq = crqId(id);
        String branch;
        try {
            branch = BranchNamePolicy.nameFor(type, crq, description);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        JsonNode view = services.get(caller, OwningService.CRQ_SERVICE, "/crqs/" + crq);
        String status = view.path("status").asText("?");
        if (!OPEN_STATUSES.contains(status)) {
            throw new ConflictException(crq + " is " + status + " (closed): no new branches for it");
        }
        String repo = view.path("repo").asText(null);
        if (repo == null) {
            throw new InvalidRequestException(crq + " names no repository");
        }
        String from = view.path("targetBranch").asText("main");
        return services.post(
                caller,
                OwningService.GIT_WATCHER,
                "/repos/" + segment(repo) + "/branches",
                new CreateBranchRequest(branch, from));
    }

    /**
     * Starts a command through exec-agent ({@code POST /execs}) and waits for its end, at most {@code wait} (capped by
     * {@code gitcrq.mcp.exec-max-wait}); answers its exit code, the last {@code tailLines} lines it printed and its id.
     */
    public ExecRun execRun(
            Caller caller,
            String id,
            String command,
            String session,
            String pane,
            String branch,
            String cwd,
            List<String> audit,
            Duration wait,
            int tailLines) {
        CrqId crq = crqId(id);
        if (command == null || command.isBlank()) {
            throw new InvalidRequestException("command must not be blank");
        }
        StartExecRequest request = new StartExecRequest(
                session == null || session.isBlank() ? crq.toString().toLowerCase(Locale.ROOT) : session,
                pane == null || pane.isBlank()
                        ? "mcp-"
                                + HexFormat.of()
                                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        : pane,
                command,
                crq.toString(),
                branch,
                cwd,
                audit,
                null,
                null);
        JsonNode accepted = services.postOnce(caller, OwningService.EXEC_AGENT, "/execs", request);
        String execId = accepted.path("execId").asText(null);
        if (execId == null) {
            throw new UpstreamUnavailableException("exec-agent accepted the command but sent no execId");
        }
        Duration limit = wait == null || wait.compareTo(config.execMaxWait()) > 0 ? config.execMaxWait() : wait;
        Instant deadline = Instant.now().plus(limit);
        JsonNode exec = accepted;
        while (!ENDED.contains(exec.path("status").asText()) && Instant.now().isBefore(deadline)) {
            sleep(POLL);
            exec = services.get(caller, OwningService.EXEC_AGENT, "/execs/" + segment(execId));
        }
        String status = exec.path("status").asText(null);
        boolean ended = ENDED.contains(status);
        Integer exitCode = exec.hasNonNull("exitCode") ? exec.get("exitCode").asInt() : null;
        String tail = ended ? outputTail(caller, execId, tailLines) : null;
        return new ExecRun(execId, status, exitCode, !ended, tail, exec);
    }

    /** The last lines of an ended exec's recording; null when exec-agent has none. */
    private String outputTail(Caller caller, String execId, int lines) {
        try {
            String cast = services.getText(
                    caller, OwningService.EXEC_AGENT, "/execs/" + segment(execId) + "/recording", ASCIICAST);
            return ExecOutput.tail(cast, Math.max(1, lines));
        } catch (EntityNotFoundException noRecording) {
            return null;
        }
    }

    public JsonNode workflowRun(
            Caller caller,
            String crq,
            String workflow,
            String path,
            String source,
            String session,
            String workspace,
            String repo,
            String ref,
            String file) {
        crqId(crq);
        return services.postOnce(
                caller,
                OwningService.EXEC_AGENT,
                "/workflows",
                new StartWorkflowRequest(crq, workflow, path, source, session, workspace, repo, ref, file));
    }

    public JsonNode workflowShow(Caller caller, String runId) {
        if (runId == null || runId.isBlank()) {
            throw new InvalidRequestException("runId must not be blank");
        }
        JsonNode run = services.get(caller, OwningService.EXEC_AGENT, "/workflows/" + segment(runId));
        if (!caller.mayActOn(run.path("crqId").asText(null))) {
            // A run of another CRQ is not this token's to see: as if there were none.
            throw new EntityNotFoundException("no workflow run " + runId + " of " + caller.crq());
        }
        return run;
    }

    public JsonNode auditTimeline(Caller caller, String crq, Integer page, Integer size) {
        return services.get(
                caller,
                OwningService.AUDIT_COLLECTOR,
                query("/audit/timeline", params("crq", crqId(crq), "page", page, "size", size)));
    }

    public JsonNode auditVerify(Caller caller, String host) {
        return services.get(caller, OwningService.AUDIT_COLLECTOR, query("/audit/verify", params("host", host)));
    }

    /**
     * Where a CRQ stands with merging: crq-service's status and merge state (QUEUED, WAITING, BLOCKED, MERGED, with
     * the reason) and merge-bot's attempts, newest first.
     */
    public JsonNode mergeStatus(Caller caller, String crq) {
        CrqId id = crqId(crq);
        JsonNode view = services.get(caller, OwningService.CRQ_SERVICE, "/crqs/" + id);
        JsonNode merges = services.get(caller, OwningService.MERGE_BOT, query("/merges", params("crq", id)));
        ObjectNode status = ApiJson.mapper().createObjectNode();
        status.put("crqId", id.toString());
        for (String field : List.of(
                "status",
                "repo",
                "targetBranch",
                "approvedCommit",
                "mergeState",
                "waitingReason",
                "blockedReason",
                "approvalWithdrawn",
                "mergeCommit")) {
            status.set(field, view.path(field).isMissingNode() ? null : view.get(field));
        }
        status.set("merges", merges);
        return status;
    }

    public JsonNode repoUnlinked(
            Caller caller, String name, String branch, String from, String to, Integer page, Integer size) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("name must be a watched repository's name");
        }
        return services.get(
                caller,
                OwningService.GIT_WATCHER,
                query(
                        "/repos/" + segment(name) + "/unlinked-commits",
                        params("branch", branch, "from", from, "to", to, "page", page, "size", size)));
    }

    /** A CRQ id as the services write it ({@code CRQ-12}); anything else is refused before any call. */
    static CrqId crqId(String text) {
        try {
            return CrqId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** A refusal of the caller by this server itself (a tool their roles do not allow). */
    public static NotPermittedException notOffered(String tool, Caller caller) {
        return new NotPermittedException(tool + " is not offered to " + caller.name() + " (roles " + caller.roles()
                + (caller.scoped() ? "; a token for " + caller.crq() + " only" : "") + ")");
    }

    /** The refusal of an action on another CRQ than a scoped caller's. */
    public static NotPermittedException outOfScope(String crq, Caller caller) {
        return new NotPermittedException(
                "this token is for " + caller.crq() + " only, not " + (crq == null ? "any other CRQ" : crq));
    }

    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while waiting for the exec", e);
        }
    }
}
