package io.gitcrq.execagent.tmux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shell script the agent generates, kept as a resource next to this class: its text with {@code {{name}}}
 * placeholders, read once. Values go in as given (quote them first: {@link ManagedCommand#quote}), in one pass, so a
 * value that holds {@code {{...}}} is never filled in itself.
 */
final class ScriptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)\\}\\}");

    private final String name;
    private final String text;

    private ScriptTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    static ScriptTemplate load(String resource) {
        try (InputStream in = ScriptTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("script template " + resource + " is missing from the agent's jar");
            }
            return new ScriptTemplate(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script template " + resource, e);
        }
    }

    /** The script with every placeholder replaced; one without a value is a bug of ours. */
    String fill(Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder script = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        "script template " + name + " has no value for {{" + placeholder.group(1) + "}}");
            }
            placeholder.appendReplacement(script, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(script);
        return script.toString();
    }
}
