package io.gitcrq.model.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.AuditSourceFailed;
import io.gitcrq.model.audit.ExecCancelRequested;
import io.gitcrq.model.audit.ExecEnd;
import io.gitcrq.model.audit.ExecFailed;
import io.gitcrq.model.audit.ExecRefused;
import io.gitcrq.model.audit.Launch;
import io.gitcrq.model.audit.WorkflowCancelRequested;
import io.gitcrq.model.audit.WorkflowFinished;
import io.gitcrq.model.audit.WorkflowStarted;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit payloads exec-agent makes itself, twice: as the typed records it publishes, and as it built them before
 * it had records (ObjectNode put calls copied from ExecCompletion, ExecStarter, Launcher, WorkflowLedger and
 * AuditLedger, in their order), so that a test shows the records keep exactly the wire form auditors already hold.
 */
final class ExecAgentAuditSamples {

    /** One sample: the record, and the same payload built the way exec-agent built it with maps. */
    record Sample(AuditPayload record, ObjectNode asBuiltToday) {}

    private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant ENDED = Instant.parse("2026-01-02T03:05:06.654321Z");

    private ExecAgentAuditSamples() {}

    static Map<String, List<Sample>> byKind() {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        samples.put(ExecEnd.KIND, List.of(exec(false), exec(true)));
        samples.put(ExecFailed.KIND, List.of(execFailed(false), execFailed(true)));
        samples.put(ExecRefused.KIND, List.of(execRefused()));
        samples.put(ExecCancelRequested.KIND, List.of(execCancel(true), execCancel(false)));
        samples.put(Launch.KIND, List.of(launch(), workflowLaunch()));
        samples.put(
                WorkflowStarted.KIND,
                List.of(workflowStarted(false), workflowStarted(true), workflowCancelRequested(), workflowFinished()));
        samples.put(AuditSourceFailed.KIND, List.of(auditSourceFailed()));
        return samples;
    }

    /** ExecCompletion.describe(exec), as it puts the fields. */
    private static ObjectNode describe(boolean everything) {
        ObjectNode payload = EventCodec.mapper()
                .createObjectNode()
                .put("execId", "x-42")
                .put("command", "make test TOKEN=****")
                .put("cwd", "/work/demo")
                .put("session", "crq-7")
                .put("pane", "0")
                .put("branch", everything ? "feature/CRQ-7-login" : null)
                .put("requestedBy", "alice")
                .put("startedAt", STARTED.toString())
                .put("endedAt", ENDED.toString())
                .put("logPath", "/var/log/gitcrq/x-42.log")
                .put("outputSha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .put("recordingPath", everything ? "/var/lib/gitcrq/recordings/x-42.cast" : null)
                .put(
                        "recordingSha256",
                        everything ? "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" : null);
        if (everything) {
            payload.put("timeoutMs", 600_000L);
            payload.put("stoppedBy", "bob");
            payload.put("workflowRunId", "wf-9").put("workflowStep", "test / run tests");
            payload.put("profile", "claude");
        }
        return payload;
    }

    private static Sample exec(boolean everything) {
        ObjectNode today = describe(everything).put("exitCode", everything ? 143 : 0);
        if (everything) {
            today.put("reason", "timed out after 600000 ms");
        }
        ExecEnd record = new ExecEnd(
                "x-42",
                "make test TOKEN=****",
                "/work/demo",
                "crq-7",
                "0",
                everything ? "feature/CRQ-7-login" : null,
                "alice",
                STARTED,
                ENDED,
                "/var/log/gitcrq/x-42.log",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                everything ? "/var/lib/gitcrq/recordings/x-42.cast" : null,
                everything ? "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" : null,
                everything ? 600_000L : null,
                everything ? "bob" : null,
                everything ? new ExecEnd.WorkflowStepOf("wf-9", "test / run tests") : null,
                everything ? "claude" : null,
                everything ? 143 : 0,
                everything ? "timed out after 600000 ms" : null);
        return new Sample(record, today);
    }

    private static Sample execFailed(boolean everything) {
        ObjectNode today = describe(everything).put("reason", "the pane went away");
        ExecFailed record = new ExecFailed(
                "x-42",
                "make test TOKEN=****",
                "/work/demo",
                "crq-7",
                "0",
                everything ? "feature/CRQ-7-login" : null,
                "alice",
                STARTED,
                ENDED,
                "/var/log/gitcrq/x-42.log",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                everything ? "/var/lib/gitcrq/recordings/x-42.cast" : null,
                everything ? "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" : null,
                everything ? 600_000L : null,
                everything ? "bob" : null,
                everything ? new ExecEnd.WorkflowStepOf("wf-9", "test / run tests") : null,
                everything ? "claude" : null,
                "the pane went away");
        return new Sample(record, today);
    }

    /** ExecStarter.refuse. */
    private static Sample execRefused() {
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("execId", "x-43")
                .put("requestedBy", "mallory")
                .put("command", "rm -rf /")
                .put("session", "crq-7")
                .put("pane", "0")
                .put("reason", "mallory may not run commands for CRQ-7")
                .put("crqId", "CRQ-7");
        return new Sample(
                new ExecRefused(
                        "x-43", "mallory", "rm -rf /", "crq-7", "0", "mallory may not run commands for CRQ-7", "CRQ-7"),
                today);
    }

    /** Launcher's audit of a launch. */
    private static Sample launch() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITCRQ_PROFILE", "claude");
        env.put("GITCRQ_CRQ", "CRQ-7");
        env.put("API_TOKEN", "****");
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("API_TOKEN", "env:CLAUDE_TOKEN");
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("execId", "x-44")
                .put("workflowRunId", (String) null)
                .put("profile", "claude")
                .put("tool", "claude")
                .put("command", "claude --resume")
                .put("workflow", (String) null)
                .put("project", "demo")
                .put("branch", "feature/CRQ-7-login")
                .put("worktree", "/work/worktrees/demo/CRQ-7")
                .put("session", "crq-7")
                .put("pane", "1")
                .put("requestedBy", "alice");
        ObjectNode variables = today.putObject("env");
        env.forEach(variables::put);
        ObjectNode credentialNode = today.putObject("credentials");
        credentials.forEach(credentialNode::put);
        today.put("mcpServer", "http://127.0.0.1:8087/mcp");
        return new Sample(
                new Launch(
                        "x-44",
                        null,
                        "claude",
                        "claude",
                        "claude --resume",
                        null,
                        "demo",
                        "feature/CRQ-7-login",
                        "/work/worktrees/demo/CRQ-7",
                        "crq-7",
                        "1",
                        "alice",
                        env,
                        credentials,
                        "http://127.0.0.1:8087/mcp"),
                today);
    }

    /** Launcher's audit of a workflow profile: no exec of its own, the run instead, no variables. */
    private static Sample workflowLaunch() {
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("execId", (String) null)
                .put("workflowRunId", "wf-9")
                .put("profile", "ci")
                .put("tool", (String) null)
                .put("command", (String) null)
                .put("workflow", ".gitcrq/workflows/ci.yml")
                .put("project", "demo")
                .put("branch", "feature/CRQ-7-login")
                .put("worktree", "/work/worktrees/demo/CRQ-7")
                .put("session", "crq-7")
                .put("pane", (String) null)
                .put("requestedBy", "alice");
        today.putObject("env");
        today.putObject("credentials");
        today.putNull("mcpServer");
        return new Sample(
                new Launch(
                        null,
                        "wf-9",
                        "ci",
                        null,
                        null,
                        ".gitcrq/workflows/ci.yml",
                        "demo",
                        "feature/CRQ-7-login",
                        "/work/worktrees/demo/CRQ-7",
                        "crq-7",
                        null,
                        "alice",
                        Map.of(),
                        Map.of(),
                        null),
                today);
    }

    /** WorkflowLedger.started. */
    private static Sample workflowStarted(boolean committed) {
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("event", "started")
                .put("runId", "wf-9")
                .put("name", "ci")
                .put("source", committed ? ".gitcrq/workflows/ci.yml" : "inline")
                .put("session", "crq-7")
                .put("workspace", "/work/worktrees/demo/CRQ-7")
                .put("requestedBy", "alice")
                .put("startedAt", STARTED.toString())
                .put("workflowSha256", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
                .put("workflow", "jobs:\n  test:\n    steps:\n      - run: make test\n");
        if (committed) {
            today.put("repo", "demo").put("ref", "refs/heads/main").put("commit", "1a2b3c4d5e6f");
        }
        ArrayNode jobs = today.putArray("jobs");
        jobs.add("test");
        return new Sample(
                new WorkflowStarted(
                        "started",
                        "wf-9",
                        "ci",
                        committed ? ".gitcrq/workflows/ci.yml" : "inline",
                        "crq-7",
                        "/work/worktrees/demo/CRQ-7",
                        "alice",
                        STARTED,
                        "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                        "jobs:\n  test:\n    steps:\n      - run: make test\n",
                        committed ? new WorkflowStarted.Committed("demo", "refs/heads/main", "1a2b3c4d5e6f") : null,
                        List.of("test")),
                today);
    }

    /** WorkflowLedger.cancelRequested. */
    /** ExecCancellation.audit: a cancel accepted, or refused with its reason. */
    private static Sample execCancel(boolean accepted) {
        String reason = accepted
                ? null
                : "only alice, who asked for exec x-42, or a holder of a role of [admin," + " approver] may cancel it";
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("execId", "x-42")
                .put("command", "make test TOKEN=****")
                .put("session", "crq-7")
                .put("pane", "0")
                .put("requestedBy", "alice")
                .put("cancelledBy", accepted ? "bob" : "mallory")
                .put("accepted", accepted)
                .put("reason", reason)
                .put("at", ENDED.toString());
        return new Sample(
                new ExecCancelRequested(
                        "x-42",
                        "make test TOKEN=****",
                        "crq-7",
                        "0",
                        "alice",
                        accepted ? "bob" : "mallory",
                        accepted,
                        reason,
                        ENDED),
                today);
    }

    private static Sample workflowCancelRequested() {
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("event", "cancel-requested")
                .put("runId", "wf-9")
                .put("name", "ci")
                .put("cancelledBy", "bob")
                .put("at", ENDED.toString());
        return new Sample(new WorkflowCancelRequested("cancel-requested", "wf-9", "ci", "bob", ENDED), today);
    }

    /** WorkflowLedger.end. */
    private static Sample workflowFinished() {
        Map<String, String> outputs = Map.of("coverage", "81%");
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("event", "finished")
                .put("runId", "wf-9")
                .put("name", "ci")
                .put("status", "CANCELLED")
                .put("requestedBy", "alice")
                .put("session", "crq-7")
                .put("startedAt", STARTED.toString())
                .put("finishedAt", ENDED.toString());
        today.put("cancelledBy", "bob");
        today.put("error", "cancelled by bob");
        ArrayNode jobs = today.putArray("jobs");
        ObjectNode job =
                jobs.addObject().put("jobId", "test").put("name", "test").put("status", "CANCELLED");
        job.set("outputs", EventCodec.mapper().valueToTree(outputs));
        ArrayNode steps = job.putArray("steps");
        steps.addObject()
                .put("index", 0)
                .put("name", "build")
                .put("status", "SUCCESS")
                .put("execId", "x-45")
                .put("exitCode", 0);
        steps.addObject()
                .put("index", 1)
                .put("name", "run tests")
                .put("status", "CANCELLED")
                .put("execId", "x-46")
                .put("timedOut", true);
        ObjectNode second =
                jobs.addObject().put("jobId", "lint").put("name", "lint").put("status", "SKIPPED");
        second.set("outputs", EventCodec.mapper().valueToTree(null));
        second.putArray("steps");
        return new Sample(
                new WorkflowFinished(
                        "finished",
                        "wf-9",
                        "ci",
                        "CANCELLED",
                        "alice",
                        "crq-7",
                        STARTED,
                        ENDED,
                        "bob",
                        "cancelled by bob",
                        List.of(
                                new WorkflowFinished.Job(
                                        "test",
                                        "test",
                                        "CANCELLED",
                                        outputs,
                                        List.of(
                                                new WorkflowFinished.Step(0, "build", "SUCCESS", "x-45", 0, null),
                                                new WorkflowFinished.Step(
                                                        1, "run tests", "CANCELLED", "x-46", null, true))),
                                new WorkflowFinished.Job("lint", "lint", "SKIPPED", null, List.of()))),
                today);
    }

    /** AuditLedger.failed, through AuditLedger.event: the exec's id and log first. */
    private static Sample auditSourceFailed() {
        ObjectNode today = EventCodec.mapper()
                .createObjectNode()
                .put("execId", "x-42")
                .put("logPath", "/var/log/gitcrq/x-42.log")
                .put("source", "network")
                .put("reason", "network source needs tcpdump (Debian package tcpdump)");
        return new Sample(
                new AuditSourceFailed(
                        "x-42",
                        "/var/log/gitcrq/x-42.log",
                        "network",
                        "network source needs tcpdump (Debian package tcpdump)"),
                today);
    }
}
