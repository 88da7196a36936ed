package io.gitcrq.model.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void roundTripsAnEventThroughTheCloudEventsEnvelope() {
        CommitPushed pushed = new CommitPushed(
                "demo",
                "feature/CRQ-1-x",
                "abc",
                List.of("p1"),
                new GitPerson("Alice", "alice@example.com", Instant.parse("2026-01-01T00:00:00Z")),
                null,
                "CRQ-1: x",
                List.of("CRQ-1"));
        CloudEvent event = EventCodec.envelope("gitcrq/git-watcher", pushed);
        String json = EventCodec.toJson(event);

        assertThat(json)
                .contains(
                        "\"specversion\":\"1.0\"",
                        "\"type\":\"io.gitcrq.CommitPushed.v1\"",
                        "\"subject\":\"demo:abc\"");
        CloudEvent parsed = EventCodec.parse(json);
        assertThat(parsed.id()).isEqualTo(event.id());
        assertThat(EventCodec.dataOf(parsed)).isEqualTo(pushed);
    }

    @Test
    void anExecRequestCarriesItsAuditSourcesAndOneWithoutThemStillReads() {
        ExecRequested withAudit = new ExecRequested(
                "x-1",
                "dev1",
                "s",
                "p",
                "make",
                "CRQ-1",
                null,
                null,
                "alice",
                List.of("process", "file"),
                List.of("/tmp/out"),
                null);
        CloudEvent event = EventCodec.parse(EventCodec.toJson(EventCodec.envelope("test", withAudit)));
        assertThat(EventCodec.dataOf(event)).isEqualTo(withAudit);

        // As agents published it before audit sources existed.
        CloudEvent older = EventCodec.parse("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
                + "\"type\":\"io.gitcrq.ExecRequested.v1\",\"data\":{\"execId\":\"x-2\",\"host\":\"dev1\","
                + "\"session\":\"s\",\"pane\":\"p\",\"command\":\"make\",\"crqId\":\"CRQ-1\","
                + "\"requestedBy\":\"alice\"}}");
        ExecRequested read = (ExecRequested) EventCodec.dataOf(older);
        assertThat(read).isEqualTo(new ExecRequested("x-2", "dev1", "s", "p", "make", "CRQ-1", null, null, "alice"));
        assertThat(read.audit()).isNull();
        assertThat(read.auditPaths()).isNull();
        assertThat(read.grant()).isNull();
    }

    @Test
    void anApprovalNamesItsCommitAndOneWithoutItStillReads() {
        CrqApproved approval = new CrqApproved(
                "CRQ-1", "bob", "alice", "demo", "main", Instant.parse("2026-01-01T00:00:00Z"), "1a2b3c4d5e6f");
        String json = EventCodec.toJson(EventCodec.envelope("test", approval));
        assertThat(json).contains("\"type\":\"io.gitcrq.CrqApproved.v1\"", "\"headCommit\":\"1a2b3c4d5e6f\"");
        assertThat(EventCodec.dataOf(EventCodec.parse(json))).isEqualTo(approval);

        // As crq-service published it before approvals named a commit: the same version, headCommit null.
        CloudEvent older = EventCodec.parse("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
                + "\"type\":\"io.gitcrq.CrqApproved.v1\",\"data\":{\"crqId\":\"CRQ-1\",\"approver\":\"bob\","
                + "\"requester\":\"alice\",\"repo\":\"demo\",\"targetBranch\":\"main\"}}");
        assertThat(EventCodec.dataOf(older)).isEqualTo(new CrqApproved("CRQ-1", "bob", "alice", "demo", "main", null));
        assertThat(((CrqApproved) EventCodec.dataOf(older)).headCommit()).isNull();
    }

    @Test
    void refusesWhatIsNotAnEnvelopeAndDataMissingItsKeys() {
        assertThatThrownBy(() -> EventCodec.parse("{not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() ->
                        EventCodec.parse("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}"))
                .isInstanceOf(MalformedEventException.class);
        CloudEvent noRepo = EventCodec.parse("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
                + "\"type\":\"io.gitcrq.CommitPushed.v1\",\"data\":{\"branch\":\"b\",\"commitId\":\"c\"}}");
        assertThatThrownBy(() -> EventCodec.dataOf(noRepo))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("repo is required");
    }

    @Test
    void unknownTypesAreSkippedNotErrors() {
        CloudEvent future = EventCodec.parse("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\","
                + "\"type\":\"io.gitcrq.Something.v9\",\"data\":{}}");
        assertThat(EventCodec.dataOf(future)).isNull();
    }

    @Test
    void everyEventTypeHasAUniqueTypeAndAKnownTopic() {
        for (EventType type : EventType.values()) {
            assertThat(Topics.ALL).contains(type.topic());
            assertThat(EventType.fromCeType(type.ceType())).contains(type);
        }
    }
}
