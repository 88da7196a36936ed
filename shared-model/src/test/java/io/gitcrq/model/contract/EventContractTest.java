package io.gitcrq.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire form of every event, pinned: the envelope EventCodec writes for a fixed sample of each type
 * (golden/events/Type.vN.json), the JSON Schema of each type's data (docs/api/schemas/events/Type.vN.schema.json)
 * and of the envelope, each checked against what the code makes now.
 */
class EventContractTest {

    private static final SchemaGenerator GENERATOR = new SchemaGenerator(SchemaGenerator.Keys.NULLABLE_OPTIONAL);

    static Path golden(EventType type) {
        return Golden.goldenDirectory().resolve("events/" + fileName(type) + ".json");
    }

    static Path schema(EventType type) {
        return Golden.schemaDirectory().resolve("events/" + fileName(type) + ".schema.json");
    }

    static Path envelopeSchema() {
        return Golden.schemaDirectory().resolve("events/CloudEvent.schema.json");
    }

    private static String fileName(EventType type) {
        return type.simpleName() + ".v" + type.version();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theEnvelopeOfEachEventIsItsGoldenFile(EventType type) {
        String wire = EventCodec.toJson(EventSamples.envelope(type));
        Golden.check(golden(type), Golden.pretty(Golden.parse(wire)));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachGoldenFileReadsBackAsItsSample(EventType type) {
        CloudEvent read = EventCodec.parse(Golden.read(golden(type)).toString());
        assertThat(read.type()).isEqualTo(type.ceType());
        assertThat(EventCodec.dataOf(read)).isEqualTo(EventSamples.of(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSchemaOfEachEventsDataIsWhatTheRecordSays(EventType type) {
        ObjectNode schema = GENERATOR.document(
                "urn:gitcrq:schema:events:" + fileName(type),
                type.ceType(),
                "The data of a CloudEvents envelope of type " + type.ceType() + " (Java record "
                        + type.dataClass().getName() + "), published on topic " + type.topic() + ".",
                (Record) EventSamples.of(type));
        Golden.check(schema(type), Golden.pretty(schema));
    }

    @Test
    void theEnvelopeSchemaIsWhatTheRecordSays() {
        ObjectNode schema = GENERATOR.document(
                "urn:gitcrq:schema:events:CloudEvent",
                "gitcrq event envelope",
                "A gitcrq event as it travels on Kafka: a CloudEvents 1.0 JSON envelope (Java record "
                        + CloudEvent.class.getName() + "); its data is described by the schema of its type,"
                        + " events/<Type>.v<n>.schema.json for type io.gitcrq.<Type>.v<n>.",
                EventSamples.envelope(EventType.COMMIT_PUSHED));
        Golden.check(envelopeSchema(), Golden.pretty(schema));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachGoldenEnvelopeAndItsDataMatchTheirSchemas(EventType type) {
        JsonNode envelope = Golden.read(golden(type));
        SchemaValidation.assertValid(envelopeSchema(), envelope, "golden envelope of " + type);
        SchemaValidation.assertValid(schema(type), envelope.get("data"), "golden data of " + type);
    }

    @Test
    void theSchemasRefuseDataThatMissesARequiredField() {
        JsonNode envelope = Golden.read(golden(EventType.COMMIT_PUSHED));
        ObjectNode data = envelope.get("data").deepCopy();
        data.remove("commitId");
        assertThat(SchemaValidation.errors(schema(EventType.COMMIT_PUSHED), data))
                .anySatisfy(error -> assertThat(error).contains("commitId"));
        data.put("commitId", " ");
        assertThat(SchemaValidation.errors(schema(EventType.COMMIT_PUSHED), data))
                .isNotEmpty();
    }

    @Test
    void everyEventTypeHasAGoldenFileAndASchemaAndNothingElseHasOne() throws IOException {
        List<String> expected = Arrays.stream(EventType.values())
                .map(EventContractTest::fileName)
                .sorted()
                .toList();
        assertThat(names(Golden.goldenDirectory().resolve("events"), ".json"))
                .as("golden event files; " + Golden.howToWrite())
                .isEqualTo(expected);
        assertThat(names(Golden.schemaDirectory().resolve("events"), ".schema.json"))
                .as("event schemas; " + Golden.howToWrite())
                .isEqualTo(Stream.concat(expected.stream(), Stream.of("CloudEvent"))
                        .sorted()
                        .toList());
    }

    static List<String> names(Path directory, String suffix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .sorted()
                    .toList();
        }
    }
}
