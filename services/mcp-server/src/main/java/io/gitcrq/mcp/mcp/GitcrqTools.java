package io.gitcrq.mcp.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.mcp.domain.Caller;
import io.gitcrq.mcp.domain.ExecRun;
import io.gitcrq.mcp.domain.ToolAccess;
import io.gitcrq.mcp.domain.ToolCall;
import io.gitcrq.mcp.domain.Tools;
import io.gitcrq.mcp.service.CallerContext;
import io.gitcrq.mcp.service.GitcrqActions;
import io.gitcrq.mcp.service.ToolCallRecorder;
import io.gitcrq.model.api.ApiJson;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * gitcrq's MCP tools. Each calls the owning service's REST API as the caller (their own credentials), so what the
 * caller may do is decided there; a refusal comes back as an error result saying which service refused and why.
 * Arguments are named as in the REST APIs (docs/api/README.md).
 */
public class GitcrqTools {

    private static final String CRQ_ID = "The change request's id, CRQ-<n> (e.g. CRQ-12).";

    @Inject
    CallerContext callers;

    @Inject
    GitcrqActions actions;

    @Inject
    ToolAccess access;

    @Inject
    ToolCallRecorder recorder;

    @Tool(
            name = Tools.CRQ_LIST,
            description = "List change requests (CRQs) from crq-service, newest last, optionally only those in one"
                    + " status or of one repository. Answers a JSON array of CRQs (id, title, repo, status, requester,"
                    + " approver, mergeState, …).",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse crqList(
            @ToolArg(
                            description = "Only CRQs in this status: DRAFT, SUBMITTED, APPROVED, MERGED, CLOSED,"
                                    + " REJECTED or CANCELLED.",
                            required = false)
                    String status,
            @ToolArg(description = "Only CRQs of this watched repository (its name).", required = false) String repo) {
        return call(
                Tools.CRQ_LIST,
                null,
                args("status", status, "repo", repo),
                caller -> actions.crqList(caller, status, repo));
    }

    @Tool(
            name = Tools.CRQ_SHOW,
            description = "Show one change request: its details, status and history, branches and commits linked to"
                    + " it, approval (which commit), merge state and why it waits or is blocked.",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse crqShow(@ToolArg(description = CRQ_ID) String id) {
        return call(Tools.CRQ_SHOW, id, args("id", id), caller -> actions.crqShow(caller, id));
    }

    @Tool(
            name = Tools.CRQ_CREATE,
            description = "Create a change request (status DRAFT) for a watched repository, requested by you. Answers"
                    + " the new CRQ with its id (CRQ-<n>); submit it with crq_submit once its work is ready for"
                    + " approval.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, openWorldHint = false))
    ToolResponse crqCreate(
            @ToolArg(description = "A one-line title (at most 200 characters).") String title,
            @ToolArg(description = "What the change is and why (at most 20000 characters).", required = false)
                    String description,
            @ToolArg(description = "The watched repository the change is for (its name in git-watcher).") String repo,
            @ToolArg(description = "The branch the change merges into (default main).", required = false)
                    String targetBranch) {
        return call(
                Tools.CRQ_CREATE,
                null,
                args("title", title, "description", description, "repo", repo, "targetBranch", targetBranch),
                caller -> actions.crqCreate(caller, title, description, repo, targetBranch));
    }

    @Tool(
            name = Tools.CRQ_SUBMIT,
            description = "Submit a DRAFT change request for approval (its requester or an admin only).",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, openWorldHint = false))
    ToolResponse crqSubmit(
            @ToolArg(description = CRQ_ID) String id,
            @ToolArg(description = "Why, for the CRQ's history.", required = false) String reason) {
        return call(
                Tools.CRQ_SUBMIT,
                id,
                args("id", id, "reason", reason),
                caller -> actions.crqSubmit(caller, id, reason));
    }

    @Tool(
            name = Tools.CRQ_APPROVE,
            description = "Approve a SUBMITTED change request at its branch's head commit, after which merge-bot merges"
                    + " it. Approvers and admins only, and never the CRQ's own requester (separation of duties:"
                    + " crq-service refuses, and so does this tool).",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, openWorldHint = false))
    ToolResponse crqApprove(
            @ToolArg(description = CRQ_ID) String id,
            @ToolArg(description = "Why, for the CRQ's history.", required = false) String reason,
            @ToolArg(
                            description = "The commit you reviewed (a full id or at least 7 hex digits): refused if the"
                                    + " branch has moved on from it.",
                            required = false)
                    String commit) {
        return call(
                Tools.CRQ_APPROVE,
                id,
                args("id", id, "reason", reason, "commit", commit),
                caller -> actions.crqApprove(caller, id, reason, commit));
    }

    @Tool(
            name = Tools.BRANCH_START,
            description = "Start the branch for work on an open CRQ: git-watcher creates <type>/CRQ-n-<slug> in the"
                    + " CRQ's repository from its target branch. Answers {repo, branch, head}.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, openWorldHint = false))
    ToolResponse branchStart(
            @ToolArg(description = CRQ_ID) String crqId,
            @ToolArg(
                            description = "Kind of work, one the repository allows (by default feature, bugfix,"
                                    + " hotfix, chore, docs, refactor).")
                    String type,
            @ToolArg(description = "A few words; they become the branch name's slug.") String description) {
        return call(
                Tools.BRANCH_START,
                crqId,
                args("crqId", crqId, "type", type, "description", description),
                caller -> actions.branchStart(caller, crqId, type, description));
    }

    @Tool(
            name = Tools.EXEC_RUN,
            description = "Run a shell command for a CRQ through the host's exec-agent (in a tmux pane, recorded and"
                    + " audited on the CRQ's trail) and wait for it to end. Without cwd it runs in the CRQ's worktree"
                    + " where the CRQ's repository is a project of the host. Answers the exec id, status, exit code"
                    + " and the last lines of its output.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = true, openWorldHint = true))
    ToolResponse execRun(
            @ToolArg(description = CRQ_ID) String crqId,
            @ToolArg(description = "The command line, run by the shell (e.g. 'mvn -q test').") String command,
            @ToolArg(description = "tmux session (default: the CRQ's, e.g. crq-12).", required = false) String session,
            @ToolArg(description = "tmux pane in the session (default: a new one for this command).", required = false)
                    String pane,
            @ToolArg(description = "The branch the work is on.", required = false) String branch,
            @ToolArg(description = "Directory to run in (default: the CRQ's worktree).", required = false) String cwd,
            @ToolArg(
                            description = "Audit sources around the command: process, file, syscall, network, http,"
                                    + " route (default: the host's).",
                            required = false)
                    List<String> audit,
            @ToolArg(
                            description = "Longest wait for the end, in seconds (default 120); the answer then says it"
                                    + " still runs.",
                            required = false)
                    Integer timeoutSeconds,
            @ToolArg(description = "How many of the output's last lines to answer (default 50).", required = false)
                    Integer tailLines) {
        return call(
                Tools.EXEC_RUN,
                crqId,
                args(
                        "crqId",
                        crqId,
                        "command",
                        command,
                        "session",
                        session,
                        "pane",
                        pane,
                        "branch",
                        branch,
                        "cwd",
                        cwd,
                        "audit",
                        audit,
                        "timeoutSeconds",
                        timeoutSeconds,
                        "tailLines",
                        tailLines),
                caller -> {
                    ExecRun run = actions.execRun(
                            caller,
                            crqId,
                            command,
                            session,
                            pane,
                            branch,
                            cwd,
                            audit,
                            Duration.ofSeconds(timeoutSeconds == null ? 120 : Math.max(1, timeoutSeconds)),
                            tailLines == null ? 50 : tailLines);
                    return run;
                });
    }

    @Tool(
            name = Tools.WORKFLOW_RUN,
            description = "Start a workflow run (GitHub-Actions-like YAML: jobs and steps) for a CRQ on the host's"
                    + " exec-agent; give the YAML text (workflow), a file on the host (path), or a file committed in"
                    + " a repository on the host (repo, ref, file). Answers the run (runId, status); follow it with"
                    + " workflow_show.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = true, openWorldHint = true))
    ToolResponse workflowRun(
            @ToolArg(description = CRQ_ID) String crq,
            @ToolArg(description = "The workflow's YAML text.", required = false) String workflow,
            @ToolArg(description = "A workflow file on the agent's host.", required = false) String path,
            @ToolArg(description = "What to call the YAML text in messages (e.g. its file name).", required = false)
                    String source,
            @ToolArg(description = "tmux session for the steps (default wf-<runId>).", required = false) String session,
            @ToolArg(description = "An existing directory the steps run in.", required = false) String workspace,
            @ToolArg(description = "A repository on the host holding the workflow file.", required = false) String repo,
            @ToolArg(description = "The ref to read the file at (default HEAD).", required = false) String ref,
            @ToolArg(description = "The workflow file's path in repo.", required = false) String file) {
        return call(
                Tools.WORKFLOW_RUN,
                crq,
                args(
                        "crq",
                        crq,
                        "workflow",
                        workflow,
                        "path",
                        path,
                        "source",
                        source,
                        "session",
                        session,
                        "workspace",
                        workspace,
                        "repo",
                        repo,
                        "ref",
                        ref,
                        "file",
                        file),
                caller ->
                        actions.workflowRun(caller, crq, workflow, path, source, session, workspace, repo, ref, file));
    }

    @Tool(
            name = Tools.WORKFLOW_SHOW,
            description = "Show a workflow run: its status, jobs and steps with their outcomes, exit codes and exec"
                    + " ids.",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse workflowShow(@ToolArg(description = "The run's id (from workflow_run).") String runId) {
        return call(Tools.WORKFLOW_SHOW, null, args("runId", runId), caller -> actions.workflowShow(caller, runId));
    }

    @Tool(
            name = Tools.AUDIT_TIMELINE,
            description = "A CRQ's timeline from audit-collector, oldest first: its CRQ, Git, merge, exec and audit"
                    + " events ({at, source, type, summary, eventId}).",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse auditTimeline(
            @ToolArg(description = CRQ_ID) String crq,
            @ToolArg(description = "Page number, from 0.", required = false) Integer page,
            @ToolArg(description = "Entries per page (default 500, at most 5000).", required = false) Integer size) {
        return call(
                Tools.AUDIT_TIMELINE,
                crq,
                args("crq", crq, "page", page, "size", size),
                caller -> actions.auditTimeline(caller, crq, page, size));
    }

    @Tool(
            name = Tools.AUDIT_VERIFY,
            description = "Verify the audit trail's hash chain (of one host, or of all): ok and up to which sequence,"
                    + " or the first broken link and why.",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse auditVerify(@ToolArg(description = "Only this host's chain.", required = false) String host) {
        return call(Tools.AUDIT_VERIFY, null, args("host", host), caller -> actions.auditVerify(caller, host));
    }

    @Tool(
            name = Tools.MERGE_STATUS,
            description = "Where a CRQ stands with merging: its status and merge state (QUEUED, WAITING, BLOCKED,"
                    + " MERGED) with the reason it waits or is blocked, and merge-bot's attempts, newest first.",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse mergeStatus(@ToolArg(description = CRQ_ID) String crq) {
        return call(Tools.MERGE_STATUS, crq, args("crq", crq), caller -> actions.mergeStatus(caller, crq));
    }

    @Tool(
            name = Tools.REPO_UNLINKED,
            description = "Commits of a watched repository that are linked to no CRQ, newest first (git-watcher).",
            annotations = @Tool.Annotations(readOnlyHint = true, destructiveHint = false, openWorldHint = false))
    ToolResponse repoUnlinked(
            @ToolArg(description = "The watched repository's name.") String name,
            @ToolArg(description = "Only commits on this branch.", required = false) String branch,
            @ToolArg(description = "From this instant or date (inclusive).", required = false) String from,
            @ToolArg(description = "Up to this instant or date (exclusive).", required = false) String to,
            @ToolArg(description = "Page number, from 0.", required = false) Integer page,
            @ToolArg(description = "Commits per page (default 50, at most 500).", required = false) Integer size) {
        return call(
                Tools.REPO_UNLINKED,
                null,
                args("name", name, "branch", branch, "from", from, "to", to, "page", page, "size", size),
                caller -> actions.repoUnlinked(caller, name, branch, from, to, page, size));
    }

    /**
     * Runs a tool for the caller: refused here when their roles do not allow it (a client may call a tool it was not
     * offered), else the answer as JSON text, or the refusal as an error result. Every call is put on the record, with
     * its arguments, for the CRQ it named (for crq_create: the CRQ it created).
     */
    private ToolResponse call(String tool, String crq, Map<String, Object> arguments, Function<Caller, Object> action) {
        Caller caller = callers.current();
        if (!access.offers(tool, caller) || (crq != null && !caller.mayActOn(crq))) {
            DomainException refused = access.offers(tool, caller)
                    ? GitcrqActions.outOfScope(crq, caller)
                    : GitcrqActions.notOffered(tool, caller);
            recorder.record(new ToolCall(
                    tool, caller, crq, arguments, ToolCall.Outcome.REFUSED, refused.getMessage(), Instant.now()));
            return ToolResponse.error("not permitted: " + refused.getMessage());
        }
        try {
            Object result = action.apply(caller);
            recorder.record(new ToolCall(
                    tool,
                    caller,
                    crq != null ? crq : Tools.CRQ_CREATE.equals(tool) ? createdCrq(result) : null,
                    arguments,
                    ToolCall.Outcome.OK,
                    null,
                    Instant.now()));
            return ToolResponse.success(new TextContent(json(result)));
        } catch (DomainException refused) {
            String detail = Refusals.describe(refused);
            recorder.record(new ToolCall(tool, caller, crq, arguments, ToolCall.Outcome.ERROR, detail, Instant.now()));
            return ToolResponse.error(detail);
        }
    }

    /** The id of the CRQ a tool answered with (crq_create's new CRQ), or null. */
    private static String createdCrq(Object result) {
        return result instanceof JsonNode node
                        && node.path("id").isTextual()
                        && node.path("id").asText().startsWith("CRQ-")
                ? node.path("id").asText()
                : null;
    }

    /** A tool's arguments by name, in order, as the agent gave them (null: not given). */
    private static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }

    static String json(Object value) {
        try {
            return ApiJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a tool's answer as JSON", e);
        }
    }
}
