package io.gitcrq.model.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files under version control that pin a wire form or a contract: a test compares what the code makes now with the
 * checked-in text and fails on any difference. Run with {@code -Dgitcrq.golden.write=true} to (re)write them on
 * purpose; the diff is then what a reviewer reads.
 */
public final class Golden {

    public static final String WRITE_PROPERTY = "gitcrq.golden.write";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

    private Golden() {}

    /** This module's directory (Maven runs tests there and says so in {@code basedir}). */
    public static Path module() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    /** The repository's root: the parent of this module. */
    public static Path repository() {
        return module().getParent();
    }

    public static Path goldenDirectory() {
        return module().resolve("src/test/resources/golden");
    }

    public static Path schemaDirectory() {
        return repository().resolve("docs/api/schemas");
    }

    /** JSON text with two-space indentation, keys in the order given, one trailing newline. */
    public static String pretty(JsonNode node) {
        try {
            return JSON.writer(PRETTY).writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text keeping key order and number spelling, as {@link #pretty} writes it back. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless {@code file} holds exactly {@code actual} (or writes it, when asked to). */
    public static void check(Path file, String actual) {
        try {
            if (Boolean.getBoolean(WRITE_PROPERTY)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                System.out.println("golden file written: " + file);
                return;
            }
            if (!Files.exists(file)) {
                fail(file + " is missing. " + howToWrite());
            }
            assertThat(actual)
                    .as("%s differs from what the code makes now. If the change is meant, %s", file, howToWrite())
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String howToWrite() {
        return "rewrite the golden files and schemas with `mvn -o -pl shared-model,audit-sources -am verify -D"
                + WRITE_PROPERTY + "=true`, run again without it, and review the diff (a changed meaning needs a"
                + " new version: see docs/api/schemas/README.md).";
    }
}
