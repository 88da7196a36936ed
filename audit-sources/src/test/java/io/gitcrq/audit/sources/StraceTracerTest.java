package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parser robustness on real strace output shapes (unfinished/resumed, exits, escapes, garbage). */
class StraceTracerTest {

    @Test
    void reassemblesUnfinishedCallsAndParsesExits() {
        List<String> calls = new ArrayList<>();
        StraceTracer t = new StraceTracer(new StraceTracer.Listener() {
            @Override
            public void syscall(long pid, String name, String args, String ret) {
                calls.add(pid + " " + name + "(" + args + ") = " + ret);
            }

            @Override
            public void exited(long pid, Integer exitCode, String signal) {
                calls.add(pid + " exit " + exitCode + " " + signal);
            }
        });
        t.line("100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>");
        t.line("101 execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"echo \\\"a) = b\\\"\\n\"], 0x55 /* 3 vars */) = 0");
        t.line("100 <... clone resumed>, child_tidptr=0x7f) = 101");
        t.line("100 wait4(-1,  <unfinished ...>");
        t.line("101 exit_group(3)                     = ?");
        t.line("101 +++ exited with 3 +++");
        t.line("100 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 101");
        t.line("102 +++ killed by SIGKILL +++");
        t.line("this is not strace output");
        assertThat(calls)
                .containsExactly(
                        "101 execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"echo \\\"a) = b\\\"\\n\"], 0x55 /* 3 vars */) = 0",
                        "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x7f) = 101",
                        "101 exit_group(3) = ?",
                        "101 exit 3 null",
                        "100 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 101",
                        "102 exit null SIGKILL");
        assertThat(t.unparsable()).isEqualTo(1);
        boolean[] truncated = new boolean[1];
        assertThat(StraceTracer.stringArray("\"/bin/x\", [\"x\", \"a\\tb\\303\\251\", \"long\"...], 0x1", truncated))
                .containsExactly("x", "a\tbé", "long");
        assertThat(truncated[0]).isTrue();
        assertThat(StraceTracer.errno("-1 ENOENT (No such file or directory)")).isEqualTo("ENOENT");
        assertThat(StraceTracer.retValue("3<TCP:[1234]>")).isEqualTo(3L);
    }
}
