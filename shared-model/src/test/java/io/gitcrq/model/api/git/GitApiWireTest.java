package io.gitcrq.model.api.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.PolicyViolation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire form of git-watcher's API records, field by field: the CLI reads what git-watcher writes with these
 * records, so a renamed or retyped field must show here as a changed test, not as a CLI that reads nothing.
 */
class GitApiWireTest {

    private static final Instant AT = Instant.parse("2025-03-01T09:00:00.123456Z");

    @Test
    void answers() throws Exception {
        assertWire(new RepoView("demo", "/srv/demo.git", false, "main", AT, null, false), """
                {"name":"demo","location":"/srv/demo.git","remote":false,"defaultBranch":"main",
                 "registeredAt":"2025-03-01T09:00:00.123456Z","webhookName":null,"webhookEnabled":false}""");
        assertWire(
                new PolicyView(
                        "demo",
                        List.of("bugfix", "feature"),
                        List.of("main"),
                        true,
                        PolicyView.SOURCE_REPOSITORY,
                        "<type>/CRQ-<n>-<slug>",
                        null),
                """
                {"repo":"demo","branchTypes":["bugfix","feature"],"exemptBranches":["main"],"requireLinkedCommits":true,
                 "source":"repository","rule":"<type>/CRQ-<n>-<slug>","error":null}""");
        assertWire(new ViolationView("demo", "wip", "abc", PolicyViolation.RULE_BRANCH_NAME, "bad name", AT), """
                {"repo":"demo","ref":"wip","commitId":"abc","rule":"branch-name","detail":"bad name",
                 "detectedAt":"2025-03-01T09:00:00.123456Z"}""");
        assertWire(new UnlinkedPage(1, 0, 50, List.of(new UnlinkedCommit("abc", "main", "Ann", null, AT, "fix"))), """
                {"total":1,"page":0,"size":50,"commits":[{"commitId":"abc","branch":"main","authorName":"Ann",
                 "authorEmail":null,"committedAt":"2025-03-01T09:00:00.123456Z","subject":"fix"}]}""");
        assertWire(new ScanProgress("demo", null, ScanProgress.State.RUNNING, null, 5, 4, AT, null, null), """
                {"repo":"demo","branch":null,"state":"RUNNING","total":null,"scanned":5,"emitted":4,
                 "startedAt":"2025-03-01T09:00:00.123456Z","finishedAt":null,"error":null}""");
        assertWire(new CreatedBranch("demo", "feature/CRQ-1-x", "abc"), """
                {"repo":"demo","branch":"feature/CRQ-1-x","head":"abc"}""");
        assertWire(new PollSummary("demo", List.of("b"), List.of(), List.of("abc"), List.of()), """
                {"repo":"demo","newBranches":["b"],"deletedBranches":[],"newCommits":["abc"],"violations":[]}""");
    }

    @Test
    void requestsLeaveOutWhatIsNotGivenAndNeverShowTheSecret() throws Exception {
        assertWire(new RegisterRepoRequest("demo", "/srv/demo.git", "main", null, null), """
                {"name":"demo","location":"/srv/demo.git","defaultBranch":"main"}""");
        assertWire(new CreateBranchRequest("feature/CRQ-1-x", null), """
                {"name":"feature/CRQ-1-x"}""");
        assertThat(new RegisterRepoRequest("demo", "/srv/demo.git", null, "acme/demo", "s3cret-value").toString())
                .doesNotContain("s3cret-value")
                .contains("webhookSecret=***");
    }

    private static void assertWire(Object record, String expected) throws Exception {
        JsonNode written = EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(record));
        assertThat(written).isEqualTo(EventCodec.mapper().readTree(expected));
        assertThat(EventCodec.mapper().treeToValue(written, record.getClass())).isEqualTo(record);
    }
}
