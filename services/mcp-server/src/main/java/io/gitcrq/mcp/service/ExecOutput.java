package io.gitcrq.mcp.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.model.api.ApiJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text a command printed, from its asciicast v2 recording (what exec-agent serves, secrets masked): the output
 * events' text joined, terminal control sequences taken out, carriage returns resolved, and its last lines kept.
 */
public final class ExecOutput {

    /** CSI and OSC sequences, and the other escapes a shell or a progress bar writes. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");

    private ExecOutput() {}

    /** The last {@code lines} lines the recording shows; empty for a recording without output. */
    public static String tail(String cast, int lines) {
        StringBuilder text = new StringBuilder();
        String[] records = cast.split("\n");
        for (int i = 1; i < records.length; i++) { // the first line is the header
            String record = records[i].trim();
            if (record.isEmpty()) {
                continue;
            }
            try {
                JsonNode event = ApiJson.mapper().readTree(record);
                if (event.isArray()
                        && event.size() >= 3
                        && "o".equals(event.get(1).asText())) {
                    text.append(event.get(2).asText());
                }
            } catch (JsonProcessingException notAnEvent) {
                // a torn last line of a recording: nothing to show of it
            }
        }
        return lastLines(clean(text.toString()), lines);
    }

    static String clean(String raw) {
        String text = ESCAPES.matcher(raw).replaceAll("").replace("\r\n", "\n");
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            // What a carriage return rewrote: the terminal shows the last version of the line.
            int cr = line.lastIndexOf('\r', line.length() - 2);
            String shown = cr >= 0 ? line.substring(cr + 1) : line;
            out.add(shown.replace("\r", "").replaceAll("[\\x00-\\x08\\x0B-\\x1F\\x7F]", ""));
        }
        return String.join("\n", out);
    }

    static String lastLines(String text, int lines) {
        String trimmed = text.stripTrailing();
        String[] all = trimmed.split("\n", -1);
        if (all.length <= lines) {
            return trimmed;
        }
        return String.join("\n", List.of(all).subList(all.length - lines, all.length));
    }
}
