package io.gitcrq.audit.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void valuesAreTabSeparatedRowsEndInANewlineAndNullIsBackslashN() {
        byte[] rows = new CopyText(64)
                .value("a")
                .value((String) null)
                .value(7L)
                .value((Long) null)
                .endRow()
                .value("b")
                .value(Integer.valueOf(3))
                .endRow()
                .bytes();

        assertThat(new String(rows, StandardCharsets.UTF_8)).isEqualTo("a\t\\N\t7\t\\N\nb\t3\n");
    }

    @Test
    void backslashTabNewlineAndCarriageReturnInAValueAreEscapedAndTheRestIsKeptAsItIs() {
        byte[] rows = new CopyText(64)
                .value("{\"k\":\"x\\\\y\\n\"}")
                .value("kind\twith\nbreaks\r!")
                .value("café ☕")
                .endRow()
                .bytes();

        assertThat(new String(rows, StandardCharsets.UTF_8))
                .isEqualTo("{\"k\":\"x\\\\\\\\y\\\\n\"}\tkind\\twith\\nbreaks\\r!\tcafé ☕\n");
    }
}
