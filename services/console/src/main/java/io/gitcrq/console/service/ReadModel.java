package io.gitcrq.console.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.console.repository.ReadModelWrites;
import io.gitcrq.model.audit.ExecEnd;
import io.gitcrq.model.event.AgentToolCalled;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
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
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeSettingsChanged;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.event.PolicyViolation;
import io.gitcrq.model.event.RepoPolicyChanged;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.WebhookSettingsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Applies every event of every topic to the read model, and appends what changed to the live stream's log (one
 * change per CRQ the event names, or one naming none). Runs in the consuming handler's transaction, after its inbox
 * has said the event is new here.
 */
@ApplicationScoped
public class ReadModel {

    private static final int SHORT = 12;

    private final ReadModelWrites writes;

    public ReadModel(ReadModelWrites writes) {
        this.writes = writes;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent envelope, DomainEvent data) {
        Instant at = envelope.time() != null ? envelope.time() : Instant.now();
        if (data instanceof AuditBatchCaptured batch) {
            // Each event of a host's signed batch as the AuditCaptured it stands for, under its own id. The console
            // shows events, it does not check them: no audit paths (a hash tree per batch) are computed.
            for (int i = 0; i < batch.events().size(); i++) {
                AuditCaptured event = batch.event(i);
                apply(EventCodec.envelope(batch.events().get(i).eventId(), envelope.source(), at, event), event);
            }
            return;
        }
        String kind = EventType.of(data).simpleName();
        String json = dataJson(data);
        if (data instanceof RepoWatched e) {
            writes.repoWatched(e.repo(), e.location(), e.defaultBranch());
            writes.change(
                    kind, null, null, e.repo(), at, "repository " + e.repo() + " watched at " + e.location(), json);
        } else if (data instanceof RepoUnwatched e) {
            writes.repoUnwatched(e.repo());
            writes.change(
                    kind,
                    null,
                    null,
                    e.repo(),
                    at,
                    "repository " + e.repo() + " unwatched by " + e.unwatchedBy(),
                    json);
        } else if (data instanceof BranchCreated e) {
            writes.branch(e.repo(), e.branch(), e.head(), e.crqIds(), e.nameValid());
            perCrq(
                    kind,
                    e.crqIds(),
                    null,
                    e.repo(),
                    at,
                    "branch " + e.branch() + " created at " + shortId(e.head())
                            + (e.nameValid() ? "" : " (name breaks the rule)"),
                    json);
        } else if (data instanceof BranchDeleted e) {
            writes.branchDeleted(e.repo(), e.branch());
            writes.change(kind, null, null, e.repo(), at, "branch " + e.branch() + " deleted", json);
        } else if (data instanceof CommitPushed e) {
            String author = e.author() == null ? null : e.author().name();
            writes.commit(e.repo(), e.commitId(), e.branch(), author, e.message(), e.crqIds(), at);
            perCrq(
                    kind,
                    e.crqIds(),
                    null,
                    e.repo(),
                    at,
                    "commit " + shortId(e.commitId()) + " pushed to " + e.branch() + ": " + firstLine(e.message())
                            + (e.crqIds().isEmpty() ? " (linked to no CRQ)" : ""),
                    json);
        } else if (data instanceof PolicyViolation e) {
            writes.violation(envelope.id(), e.repo(), e.ref(), e.commitId(), e.rule(), e.detail(), at);
            writes.change(kind, null, null, e.repo(), at, "policy violation " + e.rule() + " on " + e.ref(), json);
        } else if (data instanceof WebhookSettingsChanged e) {
            writes.change(kind, null, null, e.repo(), at, "webhook settings changed by " + e.changedBy(), json);
        } else if (data instanceof RepoPolicyChanged e) {
            writes.change(kind, null, null, e.repo(), at, "repository policy changed", json);
        } else if (data instanceof CrqCreated e) {
            writes.crqCreated(
                    e.crqId(), e.title(), e.description(), e.requester(), e.repo(), e.targetBranch(), e.createdAt());
            writes.change(kind, e.crqId(), null, e.repo(), at, "created by " + e.requester() + ": " + e.title(), json);
        } else if (data instanceof CrqEdited e) {
            writes.crqEdited(e.crqId(), e.title(), e.description());
            writes.change(kind, e.crqId(), null, null, at, "edited by " + e.editedBy() + ": " + e.title(), json);
        } else if (data instanceof CrqStatusChanged e) {
            writes.crqStatus(e.crqId(), e.to(), e.reason(), e.at() != null ? e.at() : at);
            writes.change(
                    kind,
                    e.crqId(),
                    null,
                    null,
                    at,
                    (e.from() == null ? "" : e.from() + " → ") + e.to() + " by " + e.actor()
                            + (e.reason() == null ? "" : ": " + e.reason()),
                    json);
        } else if (data instanceof CrqApproved e) {
            Instant approvedAt = e.approvedAt() != null ? e.approvedAt() : at;
            writes.approved(
                    envelope.id(),
                    e.crqId(),
                    e.approver(),
                    e.requester(),
                    e.repo(),
                    e.targetBranch(),
                    e.headCommit(),
                    approvedAt);
            writes.change(
                    kind,
                    e.crqId(),
                    null,
                    e.repo(),
                    at,
                    "approved by " + e.approver() + (e.headCommit() == null ? "" : " at " + shortId(e.headCommit())),
                    json);
        } else if (data instanceof BranchMerged e) {
            writes.merged(
                    e.crqId(), e.repo(), e.targetBranch(), e.mergeCommit(), e.mergedAt() != null ? e.mergedAt() : at);
            writes.change(
                    kind,
                    e.crqId(),
                    null,
                    e.repo(),
                    at,
                    e.branch() + " merged into " + e.targetBranch() + " as " + shortId(e.mergeCommit()),
                    json);
        } else if (data instanceof MergeWaiting e) {
            writes.mergeState(e.crqId(), "WAITING", e.reason(), e.at() != null ? e.at() : at);
            writes.change(kind, e.crqId(), null, e.repo(), at, "merge waiting: " + e.reason(), json);
        } else if (data instanceof MergeBlocked e) {
            writes.mergeState(e.crqId(), "BLOCKED", e.reason(), e.at() != null ? e.at() : at);
            writes.change(kind, e.crqId(), null, e.repo(), at, "merge blocked: " + e.reason(), json);
        } else if (data instanceof CheckReported e) {
            writes.check(e.repo(), e.commitId(), e.name(), e.status(), e.url(), e.reportedBy(), e.at());
            writes.change(
                    kind,
                    null,
                    null,
                    e.repo(),
                    at,
                    "check " + e.name() + " " + e.status() + " on " + shortId(e.commitId()) + " by " + e.reportedBy(),
                    json);
        } else if (data instanceof MergeSettingsChanged e) {
            writes.change(kind, null, null, e.repo(), at, "merge settings changed by " + e.changedBy(), json);
        } else if (data instanceof ExecRequested e) {
            writes.execRequested(
                    e.execId(), e.host(), e.crqId(), e.command(), e.requestedBy(), e.session(), e.pane(), at);
            writes.change(
                    kind,
                    e.crqId(),
                    e.host(),
                    null,
                    at,
                    "exec " + e.execId() + " requested by " + e.requestedBy() + " on " + e.host() + ": " + e.command(),
                    json);
        } else if (data instanceof ExecFinished e) {
            writes.execFinished(
                    e.execId(), e.host(), e.crqId(), e.status(), e.exitCode(), e.reason(), e.startedAt(), e.endedAt());
            writes.change(
                    kind,
                    e.crqId(),
                    e.host(),
                    null,
                    at,
                    "exec " + e.execId() + " " + e.status()
                            + (ExecFinished.FINISHED.equals(e.status()) ? " with exit code " + e.exitCode() : "")
                            + (e.reason() == null ? "" : ": " + e.reason()),
                    json);
        } else if (data instanceof AuditCaptured e) {
            audit(envelope, e, kind, json);
        } else if (data instanceof AgentToolCalled e) {
            writes.change(
                    kind,
                    e.crqId(),
                    null,
                    null,
                    at,
                    "agent acting for " + e.caller() + " called " + e.tool() + ": " + e.outcome()
                            + (e.detail() == null ? "" : " (" + e.detail() + ")"),
                    json);
        } else if (data instanceof AuditHeadSigned e) {
            writes.headSigned(e.host(), e.lastSeq(), e.signedAt());
            writes.change(kind, null, e.host(), null, at, "audit head signed at sequence " + e.lastSeq(), json);
        }
    }

    private void audit(CloudEvent envelope, AuditCaptured e, String kind, String json) {
        String payload = e.payload().toString();
        if (!writes.audit(envelope.id(), e.host(), e.crqId(), e.kind(), e.occurredAt(), e.hostSeq(), payload)) {
            return;
        }
        String summary = "audit " + e.kind();
        if (e.kind().endsWith(".summary")) {
            JsonNode p = e.payload();
            long seen = p.path("seen").asLong(0);
            long captured = p.path("captured").asLong(0);
            long dropped = p.path("dropped").asLong(0);
            String source = e.kind().substring(0, e.kind().length() - ".summary".length());
            writes.sourceSummary(
                    e.host(),
                    source,
                    seen,
                    captured,
                    dropped,
                    p.path("fellBehind").asBoolean(false));
            summary += ": captured " + captured + ", dropped " + dropped;
        } else if (p(e, "command") != null) {
            summary += ": " + p(e, "command");
        }
        if (ExecEnd.KIND.equals(e.kind()) && p(e, "execId") != null) {
            writes.execAudited(
                    p(e, "execId"),
                    e.host(),
                    e.crqId(),
                    p(e, "command"),
                    p(e, "requestedBy"),
                    p(e, "session"),
                    p(e, "pane"));
        }
        writes.change(kind, e.crqId(), e.host(), null, e.occurredAt(), summary, json);
    }

    private static String p(AuditCaptured e, String field) {
        JsonNode v = e.payload().get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void perCrq(
            String kind, List<String> crqIds, String host, String repo, Instant at, String summary, String json) {
        if (crqIds.isEmpty()) {
            writes.change(kind, null, host, repo, at, summary, json);
        }
        for (String crqId : crqIds) {
            writes.change(kind, crqId, host, repo, at, summary, json);
        }
    }

    /** The event's data as the change's JSON, without an exec grant (a signed credential, of no use to a viewer). */
    static String dataJson(DomainEvent data) {
        JsonNode tree = EventCodec.mapper().valueToTree(data);
        if (tree instanceof ObjectNode object) {
            object.remove("grant");
            object.remove("signature");
            object.remove("batchProof");
        }
        return tree.toString();
    }

    static String shortId(String commit) {
        return commit == null ? "?" : commit.length() > SHORT ? commit.substring(0, SHORT) : commit;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
