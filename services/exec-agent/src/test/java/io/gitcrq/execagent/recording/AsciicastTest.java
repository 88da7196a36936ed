package io.gitcrq.execagent.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** script's timing and output logs, written here byte for byte, turned into asciicast v2. */
class AsciicastTest {

    @TempDir
    Path temp;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void chunksBecomeTimedEventsWithTextDecodedAcrossChunksAndControlCharactersEscaped() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes, split 1 + 2 across chunks
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        output.writeBytes("Script started on 2026-11-26 02:54:36+00:00 [COMMAND=\"exec bash '/x/e.run.sh'\"]\n"
                .getBytes(StandardCharsets.UTF_8));
        byte[] first =
                concat("\u001b[1m$ make\u001b[0m\r\nprice ".getBytes(StandardCharsets.UTF_8), new byte[] {euro[0]});
        byte[] second = concat(
                new byte[] {euro[1], euro[2]},
                "5\ttab\r\nbad \u0000 ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, '\r', '\n'});
        byte[] third = {(byte) 0xe2, (byte) 0x82}; // cut off at the end: one U+FFFD
        output.writeBytes(first);
        output.writeBytes(second);
        output.writeBytes(third);
        output.writeBytes("\nScript done on 2026-11-26 02:54:37+00:00 [COMMAND_EXIT_CODE=\"0\"]\n"
                .getBytes(StandardCharsets.UTF_8));
        String timing = """
                H 0.000000 START_TIME 2026-11-26 02:54:36+00:00
                H 0.000000 TERM tmux-256color
                H 0.000000 TTY /dev/pts/0
                H 0.000000 COLUMNS 120
                H 0.000000 LINES 40
                H 0.000000 SHELL /bin/bash
                H 0.000000 COMMAND exec bash '/x/e.run.sh'
                O 0.041604 %d
                S 0.100000 SIGWINCH ROWS=30 COLS=100
                O 0.301775 %d
                O 0.000096 %d
                H 0.000000 DURATION 0.443475
                H 0.000000 EXIT_CODE 0
                """.formatted(first.length, second.length, third.length);

        List<String> lines = convert(timing, output.toByteArray(), Redactor.of(List.of(), n -> null));

        JsonNode header = json.readTree(lines.get(0));
        assertThat(header).isEqualTo(json.readTree("""
                {"version":2,"width":120,"height":40,"timestamp":1795661676,"command":"make \\"all\\"",
                 "title":"CRQ-7 dev:build","env":{"SHELL":"/bin/bash","TERM":"tmux-256color"}}"""));
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        "[0.041604,\"o\",\"\\u001B[1m$ make\\u001B[0m\\r\\nprice \"]",
                        "[0.141604,\"r\",\"100x30\"]",
                        "[0.443379,\"o\",\"€5\\ttab\\r\\nbad \\u0000 \uFFFD\\r\\n\"]",
                        "[0.443475,\"o\",\"\uFFFD\"]");
        for (String line : lines) {
            assertThat(json.readTree(line)).isNotNull();
        }
    }

    @Test
    void secretsAreMaskedThoughSplitAcrossChunksAndTheStartComesFromTheExecWithoutAHeader() throws Exception {
        String timing = "O 0.5 9\nO 0.25 11\n";
        byte[] output = "header\ntoken=hunter2 done\r\n".getBytes(StandardCharsets.UTF_8);
        Redactor redactor = Redactor.of(List.of("hunter2"), n -> null);

        List<String> lines = convert(timing, output, redactor);

        assertThat(json.readTree(lines.get(0))).isEqualTo(json.readTree("""
                {"version":2,"width":80,"height":24,"timestamp":1000,"command":"make \\"all\\"",
                 "title":"CRQ-7 dev:build","env":{}}"""));
        assertThat(lines.subList(1, lines.size()))
                .containsExactly("[0.500000,\"o\",\"token=\"]", "[0.750000,\"o\",\"*** done\\r\\n\"]");
        assertThat(String.join("\n", lines)).doesNotContain("hun");
    }

    private List<String> convert(String timing, byte[] output, Redactor redactor) throws Exception {
        Path timingFile = Files.writeString(temp.resolve("e.timing"), timing);
        Path typescript = Files.write(temp.resolve("e.typescript"), output);
        ByteArrayOutputStream cast = new ByteArrayOutputStream();
        Asciicast.convert(
                timingFile,
                typescript,
                new Asciicast.Meta("make \"all\"", "CRQ-7 dev:build", Instant.ofEpochSecond(1000, 5)),
                redactor.stream(),
                cast);
        String text = cast.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return List.of(text.split("\n"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
