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
