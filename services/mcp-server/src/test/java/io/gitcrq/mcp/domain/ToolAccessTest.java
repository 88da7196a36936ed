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
    void whoMayRunCommandsIsConfigured() {
        ToolAccess approversRun = new ToolAccess(Set.of("approver"));
        assertThat(approversRun.offers(Tools.EXEC_RUN, Set.of("approver"))).isTrue();
        assertThat(approversRun.offers(Tools.EXEC_RUN, Set.of("requester"))).isFalse();
    }
}
