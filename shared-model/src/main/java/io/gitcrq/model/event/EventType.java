package io.gitcrq.model.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalogue of gitcrq events: CloudEvents type name, schema version, data class and topic of each. */
public enum EventType {
    REPO_WATCHED("RepoWatched", 1, RepoWatched.class, Topics.GIT_EVENTS),
    BRANCH_CREATED("BranchCreated", 1, BranchCreated.class, Topics.GIT_EVENTS),
    BRANCH_DELETED("BranchDeleted", 1, BranchDeleted.class, Topics.GIT_EVENTS),
    COMMIT_PUSHED("CommitPushed", 1, CommitPushed.class, Topics.GIT_EVENTS),
    POLICY_VIOLATION("PolicyViolation", 1, PolicyViolation.class, Topics.GIT_EVENTS),
    WEBHOOK_SETTINGS_CHANGED("WebhookSettingsChanged", 1, WebhookSettingsChanged.class, Topics.GIT_EVENTS),
    REPO_POLICY_CHANGED("RepoPolicyChanged", 1, RepoPolicyChanged.class, Topics.GIT_EVENTS),
    REPO_UNWATCHED("RepoUnwatched", 1, RepoUnwatched.class, Topics.GIT_EVENTS),
    CRQ_CREATED("CrqCreated", 1, CrqCreated.class, Topics.CRQ_EVENTS),
    CRQ_STATUS_CHANGED("CrqStatusChanged", 1, CrqStatusChanged.class, Topics.CRQ_EVENTS),
    CRQ_APPROVED("CrqApproved", 1, CrqApproved.class, Topics.CRQ_EVENTS),
    CRQ_EDITED("CrqEdited", 1, CrqEdited.class, Topics.CRQ_EVENTS),
    BRANCH_MERGED("BranchMerged", 1, BranchMerged.class, Topics.MERGE_EVENTS),
    MERGE_BLOCKED("MergeBlocked", 1, MergeBlocked.class, Topics.MERGE_EVENTS),
    MERGE_WAITING("MergeWaiting", 1, MergeWaiting.class, Topics.MERGE_EVENTS),
    CHECK_REPORTED("CheckReported", 1, CheckReported.class, Topics.MERGE_EVENTS),
    MERGE_SETTINGS_CHANGED("MergeSettingsChanged", 1, MergeSettingsChanged.class, Topics.MERGE_EVENTS),
    EXEC_REQUESTED("ExecRequested", 1, ExecRequested.class, Topics.EXEC_REQUESTS),
    EXEC_FINISHED("ExecFinished", 1, ExecFinished.class, Topics.EXEC_EVENTS),
    AUDIT_CAPTURED("AuditCaptured", 1, AuditCaptured.class, Topics.AUDIT_EVENTS),
    AUDIT_BATCH_CAPTURED("AuditBatchCaptured", 1, AuditBatchCaptured.class, Topics.AUDIT_EVENTS),
    AUDIT_HEAD_SIGNED("AuditHeadSigned", 1, AuditHeadSigned.class, Topics.AUDIT_EVENTS),
    AGENT_TOOL_CALLED("AgentToolCalled", 1, AgentToolCalled.class, Topics.AGENT_EVENTS);

    private static final String PREFIX = "io.gitcrq.";
    private static final Map<String, EventType> BY_CE_TYPE =
            Arrays.stream(values()).collect(Collectors.toMap(EventType::ceType, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toMap(t -> t.dataClass, Function.identity()));

    private final String name;
    private final int version;
    private final Class<? extends DomainEvent> dataClass;
    private final String topic;

    EventType(String name, int version, Class<? extends DomainEvent> dataClass, String topic) {
        this.name = name;
        this.version = version;
        this.dataClass = dataClass;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code io.gitcrq.CommitPushed.v1}. */
    public String ceType() {
        return PREFIX + name + ".v" + version;
    }

    public String simpleName() {
        return name;
    }

    public int version() {
        return version;
    }

    public Class<? extends DomainEvent> dataClass() {
        return dataClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromCeType(String ceType) {
        return Optional.ofNullable(BY_CE_TYPE.get(ceType));
    }

    public static EventType of(DomainEvent data) {
        EventType type = BY_CLASS.get(data.getClass());
        if (type == null) {
            throw new IllegalArgumentException(
                    "not a registered gitcrq event: " + data.getClass().getName());
        }
        return type;
    }
}
