package io.gitcrq.mcp.domain;

/** The names of gitcrq's MCP tools: what an agent calls and what {@link ToolAccess} offers by role. */
public final class Tools {

    public static final String CRQ_LIST = "crq_list";
    public static final String CRQ_SHOW = "crq_show";
    public static final String CRQ_CREATE = "crq_create";
    public static final String CRQ_SUBMIT = "crq_submit";
    public static final String CRQ_APPROVE = "crq_approve";
    public static final String BRANCH_START = "branch_start";
    public static final String EXEC_RUN = "exec_run";
    public static final String WORKFLOW_RUN = "workflow_run";
    public static final String WORKFLOW_SHOW = "workflow_show";
    public static final String AUDIT_TIMELINE = "audit_timeline";
    public static final String AUDIT_VERIFY = "audit_verify";
    public static final String MERGE_STATUS = "merge_status";
    public static final String REPO_UNLINKED = "repo_unlinked";

    private Tools() {}
}
