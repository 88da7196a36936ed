package io.gitcrq.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.audit.AgentToolCall;
import io.gitcrq.model.audit.AuditPayload;
import io.gitcrq.model.audit.AuditRejected;
import io.gitcrq.model.audit.FileChange;
import io.gitcrq.model.audit.FileSummary;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.audit.HttpExchange;
import io.gitcrq.model.audit.HttpSummary;
import io.gitcrq.model.audit.NetworkFlow;
import io.gitcrq.model.audit.NetworkSummary;
import io.gitcrq.model.audit.ProcessExec;
import io.gitcrq.model.audit.ProcessExit;
import io.gitcrq.model.audit.ProcessSummary;
import io.gitcrq.model.audit.RouteChange;
import io.gitcrq.model.audit.RouteSummary;
import io.gitcrq.model.audit.SyscallProcess;
import io.gitcrq.model.audit.SyscallSummary;
import io.gitcrq.model.event.EventCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit kinds' contracts: a JSON Schema per kind (docs/api/schemas/audit/KIND.schema.json) generated from its
 * record(s), golden payloads of every kind valid against it, and exec-agent's own kinds written by the records
 * exactly as exec-agent writes them today. The golden payloads of the source kinds come from audit-sources (its
 * AuditWireGoldenTest makes them with the sources' own code); those of exec-agent's kinds are made here.
 */
class AuditContractTest {

    private static final SchemaGenerator GENERATOR = new SchemaGenerator(SchemaGenerator.Keys.NULLABLE_REQUIRED);

    /** Where audit-sources keeps the golden payloads of the source kinds. */
    static Path sourceGoldens() {
        return Golden.repository().resolve("audit-sources/src/test/resources/golden/audit");
    }

    /** Where the golden payloads of exec-agent's and audit-collector's kinds are kept. */
    static Path madeHereGoldens() {
        return Golden.goldenDirectory().resolve("audit");
    }

    static Path schema(String kind) {
        return Golden.schemaDirectory().resolve("audit/" + kind + ".schema.json");
    }

    /** A sample of every shape of every source kind: what the schema generator learns required fields from. */
    static Map<String, List<AuditPayload>> sourceShapes() {
        Map<String, List<AuditPayload>> kinds = new LinkedHashMap<>();
        kinds.put("file", List.of(FileChange.of("created", "/work/demo/a.txt", false, "inotifywait")));
        kinds.put(
                "file.summary",
                List.of(new FileSummary(
                        2, 1, 1, Map.of("queueFull", 1L), true, "inotifywait", 0L, List.of("m"), "n", "e", 1L)));
        kinds.put(
                "process",
                List.of(
                        new ProcessExec(2, 1L, "/bin/sh", List.of("sh"), false, "/"),
                        new ProcessExit(2, 1L, 0, null, "/bin/sh", List.of("sh"))));
        kinds.put(
                "process.summary",
                List.of(new ProcessSummary(
                        2,
                        1,
                        1,
                        Map.of("queueFull", 1L),
                        true,
                        1L,
                        1L,
                        2L,
                        "attached",
                        false,
                        0L,
                        List.of("m"),
                        "e",
                        1L,
                        "b",
                        true,
                        "strace",
                        "gitcrq-exec-1",
                        List.of("t"),
                        "w")));
        kinds.put(
                "syscall",
                List.of(new SyscallProcess(
                        2,
                        1L,
                        "/bin/sh",
                        List.of("sh"),
                        0,
                        null,
                        Map.of("openat", 1L),
                        Map.of("openat", 1L),
                        List.of("/etc/hosts"),
                        0,
                        List.of(new SyscallProcess.Connect("connect", "AF_INET", "127.0.0.1", 80, null, "0")),
                        0)));
        kinds.put(
                "syscall.summary",
                List.of(new SyscallSummary(
                        2,
                        1,
                        1,
                        Map.of("queueFull", 1L),
                        true,
                        1,
                        2L,
                        "attached",
                        false,
                        0L,
                        List.of("m"),
                        "e",
                        1L,
                        "b",
                        true)));
        kinds.put(
                "route",
                List.of(new RouteChange(
                        "added",
                        "unicast",
                        "10.0.0.0/24",
                        "gw",
                        "eth0",
                        "static",
                        "link",
                        "src",
                        "100",
                        "main",
                        "ns",
                        "line")));
        kinds.put(
                "route.summary",
                List.of(new RouteSummary(2, 1, 1, Map.of("queueFull", 1L), true, 0L, 0L, "ns", List.of("m"), "e", 1L)));
        kinds.put(
                "network",
                List.of(new NetworkFlow("tcp", "10.0.0.1", 80, "10.0.0.2", 40000, 1, 40, 40, 0, 1, 1, "lo", "/p")));
        kinds.put(
                "network.summary",
                List.of(new NetworkSummary(
                        2,
                        1,
                        1,
                        Map.of("queueFull", 1L),
                        true,
                        "nflog:24576",
                        NetworkSummary.COMMAND,
                        "gitcrq-exec-x",
                        "/p",
                        Map.of("packets captured", 1L),
                        1,
                        1,
                        1L,
                        0L,
                        0L,
                        "x",
                        List.of("m"),
                        "e",
                        1L)));
        kinds.put(
                "http",
                List.of(new HttpExchange("c", "GET", "http", "h", 80, "/", "t", 200, "e", 1L, 0L, 1L, 0L, 1L, 1L, 1)));
        kinds.put(
                "http.summary",
                List.of(new HttpSummary(2, 1, 1, Map.of("queueFull", 1L), true, "127.0.0.1:1", 1L, 1L, 0L, "e", 1L)));
        return kinds;
    }

    /** The kinds audit-collector makes itself, of what other services announced. */
    static Map<String, List<AuditPayload>> collectorShapes() {
        ObjectNode before = JsonNodeFactory.instance.objectNode().put("strategy", "merge");
        before.putArray("requiredChecks");
        before.put("deleteMergedBranch", false);
        ObjectNode after = JsonNodeFactory.instance.objectNode().put("strategy", "squash");
        after.putArray("requiredChecks").add("build");
        after.put("deleteMergedBranch", true);
        return Map.of(
                AuditRejected.KIND,
                List.of(new AuditRejected(
                        "00000000-0000-4000-8000-000000000009",
                        "io.gitcrq.AuditCaptured.v1",
                        "gitcrq/exec-agent",
                        "build-02",
                        "SHA256:+4nEPxm6KJ5yoSM3W3zV6eSO8iG1yAu3WO9DnN8uQGQ",
                        "signed with a key registered for another host (build-01)")),
                GovernanceChange.KIND,
                List.of(new GovernanceChange(
                        "merge-bot",
                        "merge-settings",
                        "demo",
                        null,
                        "bob",
                        before,
                        after,
                        "io.gitcrq.MergeSettingsChanged.v1")),
                AgentToolCall.KIND,
                List.of(new AgentToolCall(
                        "00000000-0000-4000-8000-000000000007",
                        "CRQ-7",
                        "alice",
                        "crq_create",
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("title", "Log in with a token")
                                .put("repo", "demo")
                                .put("apiToken", "***"),
                        "OK",
                        null,
                        "io.gitcrq.AgentToolCalled.v1")));
    }

    static Map<String, List<AuditPayload>> allShapes() {
        Map<String, List<AuditPayload>> kinds = new LinkedHashMap<>(sourceShapes());
        kinds.putAll(collectorShapes());
        ExecAgentAuditSamples.byKind()
                .forEach((kind, samples) -> kinds.put(
                        kind,
                        samples.stream()
                                .map(ExecAgentAuditSamples.Sample::record)
                                .filter(distinctShapes())
                                .toList()));
        return kinds;
    }

    private static java.util.function.Predicate<AuditPayload> distinctShapes() {
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        return payload -> seen.add(payload.getClass());
    }

    static Stream<String> kinds() {
        return allShapes().keySet().stream();
    }

    static Stream<String> execAgentKinds() {
        return ExecAgentAuditSamples.byKind().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theSchemaOfEachKindIsWhatItsRecordsSay(String kind) {
        List<AuditPayload> shapes = allShapes().get(kind);
        assertThat(shapes).allSatisfy(shape -> assertThat(shape.kind()).isEqualTo(kind));
        boolean fromSource = sourceShapes().containsKey(kind);
        String records = String.join(
                ", ", shapes.stream().map(s -> s.getClass().getName()).toList());
        ObjectNode schema = GENERATOR.document(
                "urn:gitcrq:schema:audit:" + kind,
                "audit kind " + kind,
                "The payload of an AuditCaptured event of kind " + kind + " (Java record " + records + ")"
                        + (fromSource
                                ? ", made by an audit source; exec-agent publishes it with execId and logPath first."
                                : collectorShapes().containsKey(kind)
                                        ? ", made by audit-collector."
                                        : ", made by exec-agent."),
                shapes.stream().map(s -> (Record) s).toList(),
                "event");
        if (fromSource) {
            withExecFields(schema);
        }
        Golden.check(schema(kind), Golden.pretty(schema));
    }

    /**
     * exec-agent's AuditLedger writes the exec's id and log path before a source's own fields (see
     * ExecSourceRecord); audit-sources' records do not have them, so they are described but not required.
     */
    private static void withExecFields(ObjectNode schema) {
        List<ObjectNode> shapes = new ArrayList<>();
        if (schema.has("oneOf")) {
            schema.get("oneOf").forEach(s -> shapes.add((ObjectNode) s));
        } else {
            shapes.add(schema);
        }
        for (ObjectNode shape : shapes) {
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            properties
                    .putObject("execId")
                    .put("type", "string")
                    .put("description", "added by exec-agent: the exec whose audit source made the record");
            properties.putObject("logPath").putArray("type").add("string").add("null");
            ((ObjectNode) properties.get("logPath")).put("description", "added by exec-agent: the exec's log");
            properties.setAll((ObjectNode) shape.get("properties"));
            shape.set("properties", properties);
        }
    }

    @ParameterizedTest
    @MethodSource("execAgentKinds")
    void theRecordsOfExecAgentsKindsWriteWhatExecAgentWritesToday(String kind) {
        ArrayNode today = JsonNodeFactory.instance.arrayNode();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        for (ExecAgentAuditSamples.Sample sample :
                ExecAgentAuditSamples.byKind().get(kind)) {
            today.add(sample.asBuiltToday());
            records.add(EventCodec.mapper().valueToTree(sample.record()));
        }
        assertThat(Golden.pretty(records)).isEqualTo(Golden.pretty(today));
        Golden.check(madeHereGoldens().resolve(kind + ".json"), Golden.pretty(records));
    }

    @Test
    void theRecordsOfTheCollectorsKindsArePinned() {
        collectorShapes().forEach((kind, samples) -> {
            ArrayNode records = JsonNodeFactory.instance.arrayNode();
            samples.forEach(sample -> records.add(EventCodec.mapper().valueToTree(sample)));
            Golden.check(madeHereGoldens().resolve(kind + ".json"), Golden.pretty(records));
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyGoldenPayloadOfEachKindMatchesItsSchema(String kind) {
        Path golden = golden(kind);
        JsonNode payloads = Golden.read(golden);
        assertThat(payloads.isArray() && !payloads.isEmpty())
                .as("%s holds payloads", golden)
                .isTrue();
        for (JsonNode payload : payloads) {
            SchemaValidation.assertValid(schema(kind), payload, "a payload of " + golden);
        }
    }

    @Test
    void theSchemasTellTheShapesOfAKindApartAndRefuseAMissingField() {
        ObjectNode exit = Golden.read(golden("process")).get(1).deepCopy();
        assertThat(SchemaValidation.errors(schema("process"), exit)).isEmpty();
        exit.put("event", "exec");
        assertThat(SchemaValidation.errors(schema("process"), exit)).isNotEmpty();
        ObjectNode launch = Golden.read(golden("launch")).get(0).deepCopy();
        launch.remove("env");
        assertThat(SchemaValidation.errors(schema("launch"), launch)).isNotEmpty();
    }

    @Test
    void everyAuditKindHasRecordsAGoldenFileAndASchemaAndNothingElseHasOne() throws IOException {
        TreeSet<String> recordKinds = new TreeSet<>();
        for (Class<?> type : AuditPayload.class.getPermittedSubclasses()) {
            recordKinds.add(kindOf(type));
        }
        assertThat(new TreeSet<>(allShapes().keySet()))
                .as("kinds with samples here, and the kinds of AuditPayload's records")
                .isEqualTo(recordKinds);
        assertThat(allShapes().values().stream()
                        .flatMap(List::stream)
                        .map(Object::getClass)
                        .distinct()
                        .count())
                .as("a sample of every AuditPayload record")
                .isEqualTo(AuditPayload.class.getPermittedSubclasses().length);
        List<String> goldens = new ArrayList<>(EventContractTest.names(sourceGoldens(), ".json"));
        goldens.addAll(EventContractTest.names(madeHereGoldens(), ".json"));
        assertThat(new TreeSet<>(goldens))
                .as("golden audit files; " + Golden.howToWrite())
                .isEqualTo(recordKinds);
        assertThat(new TreeSet<>(
                        EventContractTest.names(Golden.schemaDirectory().resolve("audit"), ".schema.json")))
                .as("audit schemas; " + Golden.howToWrite())
                .isEqualTo(recordKinds);
    }

    private static Path golden(String kind) {
        return sourceShapes().containsKey(kind)
                ? sourceGoldens().resolve(kind + ".json")
                : madeHereGoldens().resolve(kind + ".json");
    }

    /** A record's kind, from the sample of it. */
    private static String kindOf(Class<?> type) {
        return allShapes().values().stream()
                .flatMap(List::stream)
                .filter(type::isInstance)
                .findFirst()
                .map(AuditPayload::kind)
                .orElseThrow(() -> new AssertionError("no sample of " + type.getName() + " in AuditContractTest"));
    }
}
