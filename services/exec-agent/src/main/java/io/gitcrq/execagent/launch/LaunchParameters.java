package io.gitcrq.execagent.launch;

import io.gitcrq.kit.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a launch fills into its profile's {@code ${...}} placeholders. An unknown placeholder is an error
 * (a typo would otherwise reach the tool as text); {@code $$} stands for one {@code $}.
 */
final class LaunchParameters {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$|\\$\\{([a-z.]+)}");

    private final Map<String, String> values = new LinkedHashMap<>();

    LaunchParameters put(String name, String value) {
        values.put(name, value == null ? "" : value);
        return this;
    }

    /**
     * {@code text}, a shell's script, with each placeholder replaced by a reference to the environment variable that
     * holds its value ({@code variables}: parameter → variable), quoted for where it stands (outside quotes
     * {@code "${VAR}"}, inside double quotes {@code ${VAR}}, inside single quotes {@code '"${VAR}"'}): the shell reads
     * the value as data, never as script text. A placeholder without a variable is refused.
     */
    String expandAsScript(String text, String where, Map<String, String> variables) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        char quote = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            Matcher m = PLACEHOLDER.matcher(text).region(i, text.length());
            if (c == '$' && m.lookingAt()) {
                if (m.group(1) == null) {
                    out.append('$');
                } else {
                    String variable = variables.get(m.group(1));
                    if (variable == null || !values.containsKey(m.group(1))) {
                        throw new InvalidRequestException(where + " uses ${" + m.group(1) + "} in a shell's script,"
                                + " where only these may stand (each as its environment variable): "
                                + variables.keySet().stream()
                                        .map(k -> "${" + k + "}")
                                        .toList());
                    }
                    String reference = "${" + variable + "}";
                    out.append(
                            switch (quote) {
                                case '"' -> reference;
                                case '\'' -> "'\"" + reference + "\"'";
                                default -> "\"" + reference + "\"";
                            });
                }
                i = m.end();
                continue;
            }
            out.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                out.append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote == c) {
                quote = 0;
            }
            i++;
        }
        return out.toString();
    }

    /** {@code text} with its placeholders filled; {@code where} names it in an error. */
    String expand(String text, String where) {
        if (text == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else if (values.containsKey(m.group(1))) {
                replacement = values.get(m.group(1));
            } else {
                throw new InvalidRequestException(
                        where + " uses ${" + m.group(1) + "}, which is not a launch parameter "
                                + "(known: "
                                + String.join(
                                        ", ",
                                        values.keySet().stream()
                                                .map(k -> "${" + k + "}")
                                                .toList())
                                + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
