package io.gitcrq.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code $GITHUB_OUTPUT} / {@code $GITHUB_ENV} ({@code name=value} or {@code name<<DELIM … DELIM}),
 * {@code $GITHUB_PATH}, and the older {@code ::set-output name=NAME::VALUE} workflow commands a step prints.
 */
final class CommandFiles {

    private CommandFiles() {}

    static Map<String, String> readKeyValues(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = stripCr(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String name = line.substring(0, heredoc);
                String delimiter = line.substring(heredoc + 2);
                if (name.isBlank() || delimiter.isEmpty()) {
                    throw new IOException(file.getFileName() + " line " + (i + 1) + ": malformed '" + line + "'");
                }
                List<String> value = new ArrayList<>();
                int j = i + 1;
                while (j < lines.size() && !stripCr(lines.get(j)).equals(delimiter)) {
                    value.add(stripCr(lines.get(j)));
                    j++;
                }
                if (j >= lines.size()) {
                    throw new IOException(
                            file.getFileName() + ": no closing delimiter '" + delimiter + "' for '" + name + "'");
                }
                out.put(name, String.join("\n", value));
                i = j;
            } else if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            } else {
                throw new IOException(file.getFileName() + " line " + (i + 1) + ": expected name=value or"
                        + " name<<DELIMITER, got '" + line + "'");
            }
        }
        return out;
    }

    static List<String> readLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (file == null || !Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = stripCr(line).strip();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }

    private static final String SET_OUTPUT = "::set-output name=";

    /**
     * The outputs a step set by printing {@code ::set-output name=NAME::VALUE} (as Actions still reads them:
     * {@code %25}, {@code %0D}, {@code %0A} in the value and {@code %3A}, {@code %2C} in the name are unescaped).
     */
    static Map<String, String> readSetOutputCommands(Path log) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (log == null || !Files.exists(log)) {
            return out;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.map(CommandFiles::stripCr)
                    .map(String::strip)
                    .filter(line -> line.startsWith(SET_OUTPUT))
                    .forEach(line -> {
                        int end = line.indexOf("::", SET_OUTPUT.length());
                        if (end > SET_OUTPUT.length()) {
                            String name = unescape(line.substring(SET_OUTPUT.length(), end))
                                    .replace("%3A", ":")
                                    .replace("%2C", ",");
                            out.put(name, unescape(line.substring(end + 2)));
                        }
                    });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private static String unescape(String value) {
        return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
