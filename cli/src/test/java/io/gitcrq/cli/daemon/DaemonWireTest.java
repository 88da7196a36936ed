package io.gitcrq.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.cli.resident.DaemonRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The resident CLI's wire: the script's request fields, the HTTP it reads, and stderr escaped for printf %b. */
class DaemonWireTest {

    @Test
    void aRequestReadsBackAsItWasWrittenWhateverItsArgumentsHold() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GITCRQ_USER", "alice");
        env.put("GITCRQ_PASSWORD", "p=w;$(rm -rf /)");
        env.put("EMPTY", "");
        List<String> args = List.of("crq", "create", "--title", "Zürich: 'quotes' \"and\" $HOME\nnew line", "", "A:x");
        DaemonRequest request = new DaemonRequest(Path.of("/work/dir with space"), env, args);

        DaemonRequest read = DaemonRequest.parse(request.toBytes());

        assertThat(read).isEqualTo(request);
        assertThat(read.args()).containsExactlyElementsOf(args);
    }

    @Test
    void aRequestOfAnotherVersionOrWithoutItsWorkingDirectoryIsRefusedWithoutEchoingValues() {
        assertThatThrownBy(() -> DaemonRequest.parse("V:2\0C:/\0".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a request of version 1");
        assertThatThrownBy(() -> DaemonRequest.parse("V:1\0A:crq\0".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no working directory");
        assertThatThrownBy(() -> DaemonRequest.parse("V:1\0C:relative\0".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> DaemonRequest.parse("V:1\0C:/\0A:unterminated".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("NUL-terminated");
        assertThatThrownBy(() ->
                        DaemonRequest.parse("V:1\0C:/\0E:s3cret-value-without-name\0".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("NAME=value")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void stderrEscapedForPrintfIsPrintedBackByteForByteByBash() throws Exception {
        ByteArrayOutputStream every = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            every.write(b);
        }
        every.writeBytes("\\c \\n %s %% \\x41 Zürich ✓\r\n".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = every.toByteArray();

        String escaped = DaemonExchange.printfEscaped(bytes);
        Process bash = new ProcessBuilder("bash", "-c", "printf '%b' \"$1\"", "bash", escaped).start();
        byte[] printed = bash.getInputStream().readAllBytes();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(printed).isEqualTo(bytes);
        assertThat(escaped).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void onlyAPostWithABodyOfKnownLengthIsRead() throws Exception {
        assertThat(exchange("POST /run HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
                        .read()
                        .body())
                .isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> exchange("GET /run HTTP/1.1\r\n\r\n").read()).hasMessageContaining("not a POST");
        assertThatThrownBy(() -> exchange("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .read())
                .hasMessageContaining("known length");
        assertThatThrownBy(() -> exchange("POST /run HTTP/1.1\r\n\r\n").read()).hasMessageContaining("with its length");
        assertThat(exchange("").read()).isNull();
    }

    private static DaemonExchange exchange(String request) {
        return new DaemonExchange(
                new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1)), new ByteArrayOutputStream());
    }
}
