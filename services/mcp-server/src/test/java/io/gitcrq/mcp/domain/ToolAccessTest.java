package io.gitcrq.mcp.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tools each role is offered: the owning routes' roles. */
class ToolAccessTest {

    private final ToolAccess access = new ToolAccess(Set.of("requester", "admin"));

    @Test
    void aRequesterMayDoEverythingButApprove() {
        assertThat(access.tools())
                .filteredOn(t -> access.offers(t, Set.of("requester")))
                .contains(Tools.CRQ_CREATE, Tools.CRQ_SUBMIT, Tools.EXEC_RUN, Tools.WORKFLOW_RUN)
                .doesNotContain(Tools.CRQ_APPROVE);
    }

    @Test
    void anApproverMayApproveAndLookButNotRequestOrRun() {
        assertThat(access.tools())
                .filteredOn(t -> access.offers(t, Set.of("approver")))
                .contains(Tools.CRQ_APPROVE, Tools.CRQ_SHOW, Tools.AUDIT_TIMELINE, Tools.MERGE_STATUS)
                .doesNotContain(Tools.CRQ_CREATE, Tools.CRQ_SUBMIT, Tools.EXEC_RUN, Tools.WORKFLOW_RUN);
    }

    @Test
    void anAdminIsOfferedEveryToolAndSomebodyWithoutARoleNone() {
        assertThat(access.tools()).hasSize(13).allMatch(t -> access.offers(t, Set.of("admin")));
        assertThat(access.tools()).noneMatch(t -> access.offers(t, Set.of("ci")));
        assertThat(access.offers("no_such_tool", Set.of("admin"))).isFalse();
    }

    @Test
    void aCallerWithACrqScopedTokenIsOfferedTheToolsForOneCrqAndActsOnThatCrqAlone() {
        Caller scoped = new Caller("admin", Set.of("admin"), "Basic x", "CRQ-7");
        assertThat(access.tools())
                .filteredOn(t -> access.offers(t, scoped))
                .containsExactlyInAnyOrderElementsOf(ToolAccess.FOR_ONE_CRQ)
                .doesNotContain(Tools.CRQ_LIST, Tools.CRQ_CREATE, Tools.AUDIT_VERIFY, Tools.REPO_UNLINKED);
        assertThat(scoped.mayActOn("CRQ-7")).isTrue();
        assertThat(scoped.mayActOn("crq-7")).isTrue();
        assertThat(scoped.mayActOn("CRQ-70")).isFalse();
        assertThat(scoped.mayActOn("7; CRQ-8")).isFalse();
        assertThat(scoped.mayActOn(null)).isFalse();
        Caller unscoped = new Caller("admin", Set.of("admin"), "Basic x");
        assertThat(unscoped.mayActOn("CRQ-70")).isTrue();
        assertThat(access.tools()).allMatch(t -> access.offers(t, unscoped));
        assertThat(scoped.toString()).doesNotContain("Basic x").contains("for CRQ-7");
    }

    @Test
    void whoMayRunCommandsIsConfigured() {
        ToolAccess approversRun = new ToolAccess(Set.of("approver"));
        assertThat(approversRun.offers(Tools.EXEC_RUN, Set.of("approver"))).isTrue();
        assertThat(approversRun.offers(Tools.EXEC_RUN, Set.of("requester"))).isFalse();
    }
}
