package io.gitcrq.mcp.domain;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles each tool is offered to: the roles the owning service's route takes (docs/api/README.md). This only
 * hides what would be refused anyway; the owning service still decides every call (separation of duties: an approver
 * may approve, but never a CRQ they requested).
 */
public final class ToolAccess {

    /** Every role a person has in gitcrq; a tool for "anyone logged in" is offered to each. */
    public static final Set<String> PEOPLE = Set.of("requester", "approver", "admin");

    private static final Set<String> REQUESTERS = Set.of("requester", "admin");
    private static final Set<String> APPROVERS = Set.of("approver", "admin");

    private final Map<String, Set<String>> roles;

    /** {@code execRoles}: who may start execs and workflow runs (exec-agent's gitcrq.exec.allowed-roles). */
    public ToolAccess(Set<String> execRoles) {
        this.roles = Map.ofEntries(
                Map.entry(Tools.CRQ_LIST, PEOPLE),
                Map.entry(Tools.CRQ_SHOW, PEOPLE),
                Map.entry(Tools.CRQ_CREATE, REQUESTERS),
                Map.entry(Tools.CRQ_SUBMIT, REQUESTERS),
                Map.entry(Tools.CRQ_APPROVE, APPROVERS),
                Map.entry(Tools.BRANCH_START, PEOPLE),
                Map.entry(Tools.EXEC_RUN, Set.copyOf(execRoles)),
                Map.entry(Tools.WORKFLOW_RUN, Set.copyOf(execRoles)),
                Map.entry(Tools.WORKFLOW_SHOW, PEOPLE),
                Map.entry(Tools.AUDIT_TIMELINE, PEOPLE),
                Map.entry(Tools.AUDIT_VERIFY, PEOPLE),
                Map.entry(Tools.MERGE_STATUS, PEOPLE),
                Map.entry(Tools.REPO_UNLINKED, PEOPLE));
    }

    /** The roles a tool is offered to; empty for a tool this table does not know. */
    public Optional<Set<String>> rolesFor(String tool) {
        return Optional.ofNullable(roles.get(tool));
    }

    /** Whether the tool is offered to someone with these roles (a tool this table does not know is not). */
    public boolean offers(String tool, Set<String> callerRoles) {
        return rolesFor(tool)
                .map(r -> r.stream().anyMatch(callerRoles::contains))
                .orElse(false);
    }

    /**
     * The tools a caller with a CRQ-scoped token is offered (as their roles allow): those that act on or read one CRQ
     * (or a workflow run, whose CRQ is checked). Listing, creating CRQs, a host's chain and a repository's unlinked
     * commits reach beyond one CRQ.
     */
    public static final Set<String> FOR_ONE_CRQ = Set.of(
            Tools.CRQ_SHOW,
            Tools.CRQ_SUBMIT,
            Tools.CRQ_APPROVE,
            Tools.BRANCH_START,
            Tools.EXEC_RUN,
            Tools.WORKFLOW_RUN,
            Tools.WORKFLOW_SHOW,
            Tools.AUDIT_TIMELINE,
            Tools.MERGE_STATUS);

    /** Whether the tool is offered to the caller: their roles allow it, and a CRQ-scoped caller only one-CRQ tools. */
    public boolean offers(String tool, Caller caller) {
        return offers(tool, caller.roles()) && (!caller.scoped() || FOR_ONE_CRQ.contains(tool));
    }

    /** Every tool's name. */
    public Set<String> tools() {
        return roles.keySet();
    }
}
