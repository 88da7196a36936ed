package io.gitcrq.model.contract;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.chain.AuditTestVectors;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchDeleted;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.CheckReported;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.GitPerson;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.PolicyViolation;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.WebhookSettingsChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One fixed instance of every event type, every field set, for the golden files and the schema checks. A new
 * {@link EventType} needs a sample here (the contract test says so).
 */
public final class EventSamples {

    static final String ID = "00000000-0000-4000-8000-000000000001";
    static final String SOURCE = "gitcrq/golden";
    static final Instant TIME = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:00Z");

    private EventSamples() {}

    public static DomainEvent of(EventType type) {
        return switch (type) {
            case REPO_WATCHED -> new RepoWatched("demo", "/srv/git/demo.git", "main");
            case BRANCH_CREATED ->
                new BranchCreated("demo", "feature/CRQ-7-login", "1a2b3c4d5e6f", List.of("CRQ-7"), true);
            case BRANCH_DELETED -> new BranchDeleted("demo", "feature/CRQ-7-login", "1a2b3c4d5e6f");
            case COMMIT_PUSHED ->
                new CommitPushed(
                        "demo",
                        "feature/CRQ-7-login",
                        "1a2b3c4d5e6f",
                        List.of("0f1e2d3c4b5a"),
                        new GitPerson("Alice", "alice@example.com", AT),
                        new GitPerson("Bob", "bob@example.com", AT.plusSeconds(60)),
                        "CRQ-7: log in with a token",
                        List.of("CRQ-7"));
            case POLICY_VIOLATION ->
                new PolicyViolation(
                        "demo",
                        "refs/heads/feature/no-crq",
                        "1a2b3c4d5e6f",
                        PolicyViolation.RULE_BRANCH_NAME,
                        "branch name names no CRQ");
            case WEBHOOK_SETTINGS_CHANGED ->
                new WebhookSettingsChanged("demo", "alice", "acme/demo", "acme/demo-renamed", true, AT);
            case REPO_POLICY_CHANGED ->
                new RepoPolicyChanged(
                        "demo",
                        new RepoPolicyChanged.PolicyRules(
                                List.of("feature", "bugfix"),
                                List.of("main"),
                                true,
                                "service",
                                "gitcrq.requireLinkedCommits is not a boolean: 'maybe' (use true or false)"),
                        new RepoPolicyChanged.PolicyRules(
                                List.of("feature"), List.of("main", "release"), false, "repository", null),
                        AT);
            case REPO_UNWATCHED -> new RepoUnwatched("demo", "admin", AT);
            case CRQ_CREATED ->
                new CrqCreated(
                        "CRQ-7", "Log in with a token", "Tokens instead of passwords", "alice", "demo", "main", AT);
            case CRQ_STATUS_CHANGED -> new CrqStatusChanged("CRQ-7", "DRAFT", "SUBMITTED", "alice", "ready", AT);
            case CRQ_APPROVED -> new CrqApproved("CRQ-7", "bob", "alice", "demo", "main", AT, "1a2b3c4d5e6f");
            case CRQ_EDITED ->
                new CrqEdited(
                        "CRQ-7", "Log in with a token or a key", "Tokens or keys instead of passwords", "alice", AT);
            case BRANCH_MERGED -> new BranchMerged("CRQ-7", "demo", "feature/CRQ-7-login", "main", "9f8e7d6c5b4a", AT);
            case MERGE_BLOCKED ->
                new MergeBlocked("CRQ-7", "demo", "feature/CRQ-7-login", "merge conflict in src/Login.java", AT);
            case MERGE_WAITING -> new MergeWaiting("CRQ-7", "demo", "waiting for checks: build on 1a2b3c4", AT);
            case CHECK_REPORTED ->
                new CheckReported(
                        "demo",
                        "1a2b3c4d5e6f",
                        "build",
                        CheckReported.SUCCESS,
                        "https://ci.example.com/build/42",
                        "ci-bot",
                        AT);
            case MERGE_SETTINGS_CHANGED ->
                new MergeSettingsChanged(
                        "demo",
                        "bob",
                        new MergeSettingsChanged.MergeRules("merge", List.of(), false),
                        new MergeSettingsChanged.MergeRules("squash", List.of("build", "lint"), true),
                        AT);
            case EXEC_REQUESTED ->
                new ExecRequested(
                        "x-42",
                        "dev1",
                        "crq-7",
                        "0",
                        "make test",
                        "CRQ-7",
                        "feature/CRQ-7-login",
                        "/work/demo",
                        "alice",
                        List.of("process", "file"),
                        List.of("/tmp/out"),
                        "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl");
            case EXEC_FINISHED ->
                // Signed by its host, as exec-agent publishes it.
                AuditSignature.signExecFinished(
                        new ExecFinished(
                                "x-42",
                                "dev1",
                                "CRQ-7",
                                "crq-7",
                                "0",
                                0,
                                AT,
                                AT.plusSeconds(12),
                                "/var/log/gitcrq/x-42.log",
                                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                        AuditTestVectors.privateKey(),
                        AuditTestVectors.keyId());
            case AUDIT_CAPTURED ->
                // The second event of a batch of two: its audit path is the first one's leaf.
                AuditSignature.signBatch(
                                List.of(
                                        new AuditCaptured("dev1", "CRQ-7", AuditCaptured.KIND_EXEC, AT, auditPayload()),
                                        new AuditCaptured(
                                                "dev1", "CRQ-7", AuditCaptured.KIND_EXEC, AT, auditPayload())),
                                41,
                                AuditTestVectors.privateKey(),
                                AuditTestVectors.keyId())
                        .get(1);
            case AUDIT_BATCH_CAPTURED -> {
                // A batch of two as exec-agent publishes it; fixed event ids (signBatchRecord draws new ones, and
                // the signature is over the events' signed forms, not their ids).
                AuditBatchCaptured signed = AuditSignature.signBatchRecord(
                        List.of(
                                new AuditCaptured("dev1", "CRQ-7", AuditCaptured.KIND_EXEC, AT, auditPayload()),
                                new AuditCaptured(
                                        "dev1", "CRQ-7", AuditCaptured.KIND_EXEC, AT.plusSeconds(3), auditPayload())),
                        41,
                        AuditTestVectors.privateKey(),
                        AuditTestVectors.keyId());
                List<AuditBatchCaptured.Entry> entries = new ArrayList<>();
                for (int i = 0; i < signed.events().size(); i++) {
                    AuditBatchCaptured.Entry e = signed.events().get(i);
                    entries.add(new AuditBatchCaptured.Entry(
                            "00000000-0000-4000-8000-00000000004" + (i + 1),
                            e.crqId(),
                            e.kind(),
                            e.occurredAt(),
                            e.payload()));
                }
                yield new AuditBatchCaptured(
                        signed.host(), signed.keyId(), signed.firstSeq(), signed.signature(), entries);
            }
            case AUDIT_HEAD_SIGNED ->
                AuditSignature.signHead(
                        "dev1",
                        42,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        AT.plusSeconds(30),
                        AuditTestVectors.privateKey(),
                        AuditTestVectors.keyId());
            case AGENT_TOOL_CALLED ->
                new AgentToolCalled(
                        "00000000-0000-4000-8000-000000000007",
                        "CRQ-7",
                        "exec_run",
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("crqId", "CRQ-7")
                                .put("command", "curl -H 'Authorization: Bearer ***' https://ci.example.com")
                                .put("timeoutSeconds", 60),
                        AgentToolCalled.ERROR,
                        "not permitted: exec-agent answered 403: alice may not run commands on dev1",
                        "alice",
                        AT.plusSeconds(45));
        };
    }

    /** The envelope as the outbox would publish the sample, with a fixed id and time. */
    public static CloudEvent envelope(EventType type) {
        return EventCodec.envelope(ID, SOURCE, TIME, of(type));
    }

    private static ObjectNode auditPayload() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("execId", "x-42").put("command", "make test").put("exitCode", 0);
        return payload;
    }
}
