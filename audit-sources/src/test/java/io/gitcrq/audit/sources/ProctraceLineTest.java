package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** gitcrq-proctrace's lines (as src/main/native/proctrace.c writes them; EbpfProcessSourceTest runs the real one). */
class ProctraceLineTest {

    @Test
    void anExecGivesPidParentPathAndEveryArgumentByteForByte() {
        assertThat(ProctraceLine.parse(
                        "exec 9566 9564 0 /usr/bin/sh sh -c exit\\x203;\\x0aecho\\x09\\x22\\x5c\\x22 \"\""
                                + " caf\\xc3\\xa9"))
                .contains(new ProctraceLine.Exec(
                        9566, 9564, "/usr/bin/sh", List.of("sh", "-c", "exit 3;\necho\t\"\\\"", "", "café"), false));
    }

    @Test
    void anExecWithoutArgumentsOrCutShort() {
        assertThat(ProctraceLine.parse("exec 7 1 0 /bin/true"))
                .contains(new ProctraceLine.Exec(7, 1, "/bin/true", List.of(), false));
        assertThat(ProctraceLine.parse("exec 7 1 1 /bin/true true 000"))
                .contains(new ProctraceLine.Exec(7, 1, "/bin/true", List.of("true", "000"), true));
    }

    @Test
    void anExitGivesItsCodeOrTheSignalThatEndedIt() {
        assertThat(ProctraceLine.parse("exit 10 9 0")).contains(new ProctraceLine.Exit(10, 9, 0, null));
        assertThat(ProctraceLine.parse("exit 10 9 768")).contains(new ProctraceLine.Exit(10, 9, 3, null));
        assertThat(ProctraceLine.parse("exit 10 9 15")).contains(new ProctraceLine.Exit(10, 9, null, "SIGTERM"));
        // killed by SIGSEGV with a core dump (0x80), and a real-time signal
        assertThat(ProctraceLine.parse("exit 10 9 139")).contains(new ProctraceLine.Exit(10, 9, null, "SIGSEGV"));
        assertThat(ProctraceLine.parse("exit 10 9 40")).contains(new ProctraceLine.Exit(10, 9, null, "SIGRT_6"));
    }

    @Test
    void readyAndLost() {
        assertThat(ProctraceLine.parse("ready")).contains(new ProctraceLine.Ready());
        assertThat(ProctraceLine.parse("lost 12")).contains(new ProctraceLine.Lost(12));
    }

    @Test
    void anythingElseIsNotALine() {
        for (String line : List.of(
                "",
                "ready now",
                "lost",
                "lost x",
                "exit 10 9",
                "exit 10 9 0 extra",
                "exit -1x 9 0",
                "exec 7 1 2 /bin/true",
                "exec 7 1 0",
                "exec 7 1 0 /bin/true a  b", // an empty field is written ""
                "exec 7 1 0 /bin/tr\"ue",
                "exec 7 1 0 /bin/true \\x4",
                "exec 7 1 0 /bin/true \\y41",
                "exec 7 1 0 /bin/true \\x+1",
                "exec 7 1 0 /bin/true caf\u00e9",
                "Lost 3 events on CPU #0")) {
            assertThat(ProctraceLine.parse(line)).as(line).isEmpty();
        }
    }
}
