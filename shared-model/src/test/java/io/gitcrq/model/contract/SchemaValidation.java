package io.gitcrq.model.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Path;
import java.util.List;

/** Checks JSON against our schema files with a real draft 2020-12 validator (formats such as date-time asserted). */
public final class SchemaValidation {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private SchemaValidation() {}

    public static List<String> errors(Path schemaFile, JsonNode instance) {
        Schema schema = REGISTRY.getSchema(Golden.read(schemaFile));
        return schema.validate(instance).stream().map(Error::toString).toList();
    }

    public static void assertValid(Path schemaFile, JsonNode instance, String what) {
        assertThat(errors(schemaFile, instance))
                .as("%s against %s", what, schemaFile)
                .isEmpty();
    }
}
