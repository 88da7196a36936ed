package io.gitcrq.execagent.recording;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gitcrq.model.secret.KnownSecrets;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what util-linux {@code script} recorded ({@code -m advanced}: a timing log and the output bytes) into an
 * <a href="https://docs.asciinema.org/manual/asciicast/v2/">asciicast v2</a> file: a header line, then one
 * {@code [seconds, "o", text]} line per output chunk, seconds since the start with microseconds, and
 * {@code [seconds, "r", "COLSxROWS"]} where the pane was resized.
 * <p>
 * The timing log's lines are {@code TYPE DELAY REST}, each delay counted from the line before: {@code H} a
 * header value ({@code START_TIME}, {@code TERM}, {@code COLUMNS}, {@code LINES}, {@code SHELL}, …),
 * {@code O DELAY BYTES} output, {@code S DELAY SIGWINCH ROWS=r COLS=c} a resize. The output log starts with
 * script's header line, then holds exactly the bytes of the O lines, then script's closing line.
 * Output is masked ({@link Redactor}) and decoded as UTF-8 ({@link Utf8Chunks}) on the way; JSON escaping
 * is Jackson's, so escape sequences and other control characters are kept, escaped.
 */
public final class Asciicast {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter SCRIPT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");
    private static final int DEFAULT_WIDTH = 80;
    private static final int DEFAULT_HEIGHT = 24;

    private Asciicast() {}

    /**
     * What the header says beyond script's own values.
     *
     * @param command   the command as it may be shown (masked)
     * @param title     e.g. {@code CRQ-7 crq7:build}
     * @param startedAt the start when script's header has none
     */
    public record Meta(String command, String title, Instant startedAt) {}

    /** Writes the asciicast of {@code timing} and {@code typescript} to {@code out} (UTF-8, one JSON value a line). */
    public static void convert(Path timing, Path typescript, Meta meta, KnownSecrets.Stream masking, OutputStream out)
            throws IOException {
        Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
        Utf8Chunks text = new Utf8Chunks();
        Map<String, String> header = new LinkedHashMap<>();
        boolean headerWritten = false;
        long micros = 0;
        try (BufferedReader lines = Files.newBufferedReader(timing, StandardCharsets.UTF_8);
                InputStream output = new BufferedInputStream(Files.newInputStream(typescript))) {
            skipScriptHeader(output);
            for (String line; (line = lines.readLine()) != null; ) {
                String[] fields = line.trim().split(" ", 3);
                if (fields.length < 2 || fields[0].isEmpty()) {
                    continue;
                }
                boolean classic = fields.length == 2 && Character.isDigit(fields[0].charAt(0));
                String type = classic ? "O" : fields[0];
                String delay = classic ? fields[0] : fields[1];
                String rest = classic ? fields[1] : fields.length > 2 ? fields[2] : "";
                micros += delayMicros(delay);
                if (type.equals("H")) {
                    int space = rest.indexOf(' ');
                    if (space > 0) {
                        header.putIfAbsent(rest.substring(0, space), rest.substring(space + 1));
                    }
                    continue;
                }
                if (!headerWritten) {
                    writeHeader(writer, header, meta);
                    headerWritten = true;
                }
                if (type.equals("O")) {
                    int size = Integer.parseInt(rest.trim());
                    byte[] chunk = output.readNBytes(size);
                    writeOutput(writer, micros, text.decode(masking.feed(chunk), false));
                } else if (type.equals("S") && rest.startsWith("SIGWINCH")) {
                    String size = resize(rest);
                    if (size != null) {
                        writeEvent(writer, micros, "r", size);
                    }
                }
            }
            if (!headerWritten) {
                writeHeader(writer, header, meta);
            }
            writeOutput(writer, micros, text.decode(masking.finish(), true));
        } catch (NumberFormatException e) {
            throw new IOException("unreadable timing log " + timing + ": " + e.getMessage(), e);
        }
        writer.flush();
    }

    /**
     * script's own first line ("Script started on … [COMMAND=…]", in the user's language) comes before the
     * output; the command it names is the run script's path, one line.
     */
    private static void skipScriptHeader(InputStream output) throws IOException {
        for (int b = output.read(); b != -1 && b != '\n'; b = output.read()) {
            // not the command's output
        }
    }

    private static long delayMicros(String delay) {
        return new BigDecimal(delay)
                .movePointRight(6)
                .setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** {@code SIGWINCH ROWS=30 COLS=100} → {@code 100x30}. */
    private static String resize(String signal) {
        String rows = null;
        String cols = null;
        for (String part : signal.split(" ")) {
            if (part.startsWith("ROWS=")) {
                rows = part.substring(5);
            } else if (part.startsWith("COLS=")) {
                cols = part.substring(5);
            }
        }
        return rows != null && cols != null && rows.matches("\\d+") && cols.matches("\\d+") ? cols + "x" + rows : null;
    }

    private static void writeHeader(Writer writer, Map<String, String> header, Meta meta) throws IOException {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeNumberField("version", 2);
            json.writeNumberField("width", positive(header.get("COLUMNS"), DEFAULT_WIDTH));
            json.writeNumberField("height", positive(header.get("LINES"), DEFAULT_HEIGHT));
            json.writeNumberField(
                    "timestamp",
                    startOf(header.get("START_TIME"), meta.startedAt()).getEpochSecond());
            json.writeStringField("command", meta.command());
            json.writeStringField("title", meta.title());
            json.writeObjectFieldStart("env");
            for (String name : new String[] {"SHELL", "TERM"}) {
                if (header.get(name) != null) {
                    json.writeStringField(name, header.get(name));
                }
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        writer.write(line.toString());
        writer.write('\n');
    }

    private static void writeOutput(Writer writer, long micros, String data) throws IOException {
        if (!data.isEmpty()) {
            writeEvent(writer, micros, "o", data);
        }
    }

    private static void writeEvent(Writer writer, long micros, String type, String data) throws IOException {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartArray();
            json.writeNumber(BigDecimal.valueOf(micros, 6).toPlainString());
            json.writeString(type);
            json.writeString(data);
            json.writeEndArray();
        }
        writer.write(line.toString());
        writer.write('\n');
    }

    private static int positive(String value, int otherwise) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            return n > 0 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Instant startOf(String startTime, Instant otherwise) {
        if (startTime != null) {
            try {
                return OffsetDateTime.parse(startTime.trim(), SCRIPT_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // script's format changed: the exec's own start will do
            }
        }
        return otherwise;
    }
}
