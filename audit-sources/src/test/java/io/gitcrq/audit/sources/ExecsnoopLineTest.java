package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** execsnoop's and exitsnoop's lines as libbpf-tools 0.26 prints them (copied from real runs). */
class ExecsnoopLineTest {

    @Test
    void anExecLineGivesPidParentPathAndArguments() {
        ExecsnoopLine line = ExecsnoopLine.parse(
                        "sh               9566   9564     0 \"/usr/bin/sh\" \"-c\" \"sleep 0.1; exit 3\" ")
                .orElseThrow();
        assertThat(line.pid()).isEqualTo(9566);
        assertThat(line.ppid()).isEqualTo(9564);
        assertThat(line.ret()).isZero();
        assertThat(line.path()).isEqualTo("/usr/bin/sh");
        assertThat(line.args()).containsExactly("/usr/bin/sh", "-c", "sleep 0.1; exit 3");
        assertThat(line.argsTruncated()).isFalse();
    }

    @Test
    void quotesEmptyArgumentsAndTrailingBackslashesAreKept() {
        ExecsnoopLine line = ExecsnoopLine.parse(
                        "true             13538  13534    0 \"/bin/true\" \"a\\\"b\" \"\" \"c\\\" \"x\" ")
                .orElseThrow();
        assertThat(line.args()).containsExactly("/bin/true", "a\"b", "", "c\\", "x");
    }

    @Test
    void aCommWithSpacesAndUtf8ArgumentsAreReadByteForByte() {
        String utf8 = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        ExecsnoopLine line = ExecsnoopLine.parse(
                        "my prog          77     1        0 \"/opt/my prog\" \"caf" + utf8 + "\" ")
                .orElseThrow();
        assertThat(line.pid()).isEqualTo(77);
        assertThat(line.args()).containsExactly("/opt/my prog", "café");
    }

    @Test
    void moreArgumentsThanKeptOrAnArgumentAtTheKernelsLimitAreMarkedTruncated() {
        ExecsnoopLine many = ExecsnoopLine.parse("true             13535  13534    0 \"/bin/true\" \"1\" \"2\" \" ...")
                .orElseThrow();
        assertThat(many.args()).containsExactly("/bin/true", "1", "2");
        assertThat(many.argsTruncated()).isTrue();
        String cut = "0".repeat(127);
        ExecsnoopLine longArgument = ExecsnoopLine.parse(
                        "true             13537  13534    0 \"/bin/true\" \"" + cut + "\" ")
                .orElseThrow();
        assertThat(longArgument.args()).containsExactly("/bin/true", cut);
        assertThat(longArgument.argsTruncated()).isTrue();
    }

    @Test
    void lineFeedsAndTabsStayAsExecsnoopWritesThemAndACutLineIsNoExec() {
        ExecsnoopLine line = ExecsnoopLine.parse(
                        "true             14553  14546    0 \"/bin/true\" \"t\\tab\" \"lit\\nx\" \"c\u0001r\rz\" ")
                .orElseThrow();
        assertThat(line.args()).containsExactly("/bin/true", "t\\tab", "lit\\nx", "c\u0001r\rz");
        assertThat(ExecsnoopLine.parse("printf           5      4        0 \"/usr/bin/printf\" \"d"))
                .isEmpty();
    }

    @Test
    void headersAndMessagesAreNoExecs() {
        assertThat(ExecsnoopLine.isHeader("PCOMM            PID    PPID   RET ARGS"))
                .isTrue();
        assertThat(ExecsnoopLine.parse("PCOMM            PID    PPID   RET ARGS"))
                .isEmpty();
        assertThat(ExecsnoopLine.parse("libbpf: failed to load")).isEmpty();
    }

    @Test
    void exitLinesGiveTheExitCodeOrTheSignalByName() {
        assertThat(ExitsnoopLine.isHeader("PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE"))
                .isTrue();
        assertThat(ExitsnoopLine.parse("true             13535   13534   13535   0.00    0"))
                .contains(new ExitsnoopLine(13535, 13534, "true", 0, null));
        assertThat(ExitsnoopLine.parse("sh               9566    9564    9566    0.11    code 3"))
                .contains(new ExitsnoopLine(9566, 9564, "sh", 3, null));
        assertThat(ExitsnoopLine.parse(
                        "sh               13540   13534   13540   0.00    signal 11 (Segmentation fault)"))
                .contains(new ExitsnoopLine(13540, 13534, "sh", null, "SIGSEGV"));
        assertThat(ExitsnoopLine.parse(
                        "bash             9569    1       9569    0.00    signal 9 (Killed), core dumped"))
                .contains(new ExitsnoopLine(9569, 1, "bash", null, "SIGKILL"));
        assertThat(ExitsnoopLine.parse("garbage")).isEmpty();
        assertThat(List.of(ExitsnoopLine.Signals.name(15), ExitsnoopLine.Signals.name(40)))
                .containsExactly("SIGTERM", "SIGRT_6");
    }
}
