package io.gitcrq.audit.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.api.audit.TimelineEntry;
import io.gitcrq.model.audit.AgentToolCall;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventType;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.MalformedEventException;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.event.MergeWaiting;
import io.gitcrq.model.policy.CrqId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a consumed event adds to CRQ timelines: one entry per CRQ it names, or none for an event about no CRQ
 * (a commit linked to none, a check report, a repository). The time is the event's own where it carries one
 * (created, changed, approved, merged, blocked, ended), else the envelope's (when the push or branch was seen).
 */
public final class TimelineEntries {

    public static final String GIT = "git";
    public static final String CRQ = "crq";
    public static final String MERGE = "merge";
    public static final String EXEC = "exec";
    public static final String AUDIT = "audit";

    private static final int SUMMARY_MAX = 200;

    /** An entry for one CRQ. */
    public record ForCrq(String crqId, TimelineEntry entry) {}

    private TimelineEntries() {}

    /** The entries of an event; {@code receivedAt} stands in for an envelope without a time. */
    public static List<ForCrq> of(CloudEvent envelope, DomainEvent data, Instant receivedAt) {
        Instant seen = envelope.time() != null ? envelope.time() : receivedAt;
        String id = envelope.id();
        String type = EventType.of(data).simpleName();
        if (data instanceof CommitPushed c) {
            String summary = "commit " + shortSha(c.commitId()) + " pushed to " + c.repo() + ":" + c.branch()
                    + (c.author() != null && c.author().name() != null
                            ? " by " + c.author().name()
                            : "")
                    + ": " + firstLine(c.message());
            return each(validCrqs(c.crqIds()), seen, GIT, type, summary, id);
        }
        if (data instanceof BranchCreated b) {
            String summary = "branch " + b.branch() + " created in " + b.repo() + " at " + shortSha(b.head())
                    + (b.nameValid() ? "" : " (its name breaks the naming rule)");
            return each(validCrqs(b.crqIds()), seen, GIT, type, summary, id);
        }
        if (data instanceof CrqCreated c) {
            return one(
                    c.crqId(),
                    id,
                    orElse(c.createdAt(), seen),
                    CRQ,
                    type,
                    "created by " + c.requester() + ": " + firstLine(c.title()) + " (" + c.repo() + " → "
                            + c.targetBranch() + ")");
        }
        if (data instanceof CrqStatusChanged c) {
            return one(
                    c.crqId(),
                    id,
                    orElse(c.at(), seen),
                    CRQ,
                    type,
                    (c.from() == null ? "" : c.from() + " → ") + c.to() + " by " + c.actor()
                            + (blank(c.reason()) ? "" : ": " + firstLine(c.reason())));
        }
        if (data instanceof CrqEdited c) {
            return one(
                    c.crqId(),
                    id,
                    orElse(c.editedAt(), seen),
                    CRQ,
                    type,
                    "edited by " + c.editedBy() + ": " + firstLine(c.title()));
        }
        if (data instanceof CrqApproved c) {
            return one(
                    c.crqId(),
                    id,
                    orElse(c.approvedAt(), seen),
                    CRQ,
                    type,
                    "approved by " + c.approver() + " for " + c.repo() + ":" + c.targetBranch());
        }
        if (data instanceof BranchMerged m) {
            return one(
                    m.crqId(),
                    id,
                    orElse(m.mergedAt(), seen),
                    MERGE,
                    type,
                    m.branch() + " merged into " + m.repo() + ":" + m.targetBranch() + " as "
                            + shortSha(m.mergeCommit()));
        }
        if (data instanceof MergeBlocked m) {
            return one(m.crqId(), id, orElse(m.at(), seen), MERGE, type, "merge blocked: " + firstLine(m.reason()));
        }
        if (data instanceof MergeWaiting m) {
            return one(m.crqId(), id, orElse(m.at(), seen), MERGE, type, "merge waiting: " + firstLine(m.reason()));
        }
        if (data instanceof ExecRequested e) {
            return one(
                    e.crqId(),
                    id,
                    seen,
                    EXEC,
                    type,
                    e.requestedBy() + " asked to run `" + firstLine(e.command()) + "` on " + e.host() + " ("
                            + e.session() + ":" + e.pane() + ", exec " + e.execId() + ")");
        }
        if (data instanceof ExecFinished e) {
            return one(
                    e.crqId(),
                    id,
                    orElse(e.endedAt(), seen),
                    EXEC,
                    type,
                    ExecFinished.FAILED.equals(e.status())
                            ? "exec " + e.execId() + " on " + e.host() + " failed: " + e.reason()
                            : "exec " + e.execId() + " on " + e.host() + " ended with exit code " + e.exitCode()
                                    + (blank(e.reason()) ? "" : " (" + firstLine(e.reason()) + ")"));
        }
        return List.of();
    }

    /** The summary of a stored audit event: its kind and host, and for a command the command and its exit code. */
    public static String auditSummary(String kind, String host, JsonNode payload) {
        if (AgentToolCall.KIND.equals(kind) && payload != null && payload.hasNonNull("tool")) {
            // What an agent did: who, which tool, how it ended (the arguments are in the record).
            return truncate(kind + " on " + host + ": " + payload.path("caller").asText() + " called "
                    + payload.path("tool").asText() + ", "
                    + payload.path("outcome").asText()
                    + (payload.hasNonNull("detail")
                            ? " (" + firstLine(payload.get("detail").asText()) + ")"
                            : ""));
        }
        JsonNode command = payload == null ? null : payload.get("command");
        if (command != null && command.isTextual()) {
            JsonNode exit = payload.get("exitCode");
            return truncate(kind + " on " + host + ": " + firstLine(command.asText())
                    + (exit != null && !exit.isNull() ? " (exit " + exit.asText() + ")" : ""));
        }
        return truncate(kind + " on " + host + (payload == null || payload.isEmpty() ? "" : ": " + payload));
    }

    private static List<ForCrq> one(
            String crqId, String eventId, Instant at, String source, String type, String summary) {
        try {
            return each(List.of(CrqId.parse(crqId).toString()), at, source, type, summary, eventId);
        } catch (IllegalArgumentException e) {
            // The event is about a CRQ but names none that exists: visible on the dead-letter topic, not filed astray.
            throw new MalformedEventException("event " + eventId + ": " + e.getMessage(), e);
        }
    }

    private static List<ForCrq> each(
            Set<String> crqIds, Instant at, String source, String type, String summary, String eventId) {
        List<ForCrq> entries = new ArrayList<>();
        for (String crqId : crqIds) {
            entries.add(new ForCrq(
                    crqId,
                    new TimelineEntry(at.truncatedTo(ChronoUnit.MICROS), source, type, truncate(summary), eventId)));
        }
        return entries;
    }

    private static List<ForCrq> each(
            List<String> crqIds, Instant at, String source, String type, String summary, String eventId) {
        return each(new LinkedHashSet<>(crqIds), at, source, type, summary, eventId);
    }

    /** CRQ ids a Git event links, in printed form; a malformed one is ignored (the commit is still on the others). */
    private static Set<String> validCrqs(List<String> ids) {
        Set<String> valid = new LinkedHashSet<>();
        for (String id : ids) {
            if (CrqId.isValid(id)) {
                valid.add(CrqId.parse(id).toString());
            }
        }
        return valid;
    }

    private static Instant orElse(Instant at, Instant fallback) {
        return at != null ? at : fallback;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
    }

    private static String truncate(String summary) {
        return summary.length() <= SUMMARY_MAX ? summary : summary.substring(0, SUMMARY_MAX - 1) + "…";
    }
}
