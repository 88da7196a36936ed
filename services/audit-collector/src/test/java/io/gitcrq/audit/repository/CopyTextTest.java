package io.gitcrq.audit.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class CopyTextTest {

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final CopyText copy = new CopyText(sent::write);

    @Test
    void valuesAreTabSeparatedRowsEndInANewlineAndNullIsBackslashN() throws SQLException {
        copy.value("a")
                .value((String) null)
                .value(7L)
                .value((Long) null)
                .endRow()
                .value("b")
                .value(Integer.valueOf(3))
                .endRow()
                .finish();

        assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo("a\t\\N\t7\t\\N\nb\t3\n");
    }

    @Test
    void backslashTabNewlineAndCarriageReturnInAValueAreEscapedAndTheRestIsKeptAsItIs() throws SQLException {
        copy.value("{\"k\":\"x\\\\y\\n\"}")
                .value("kind\twith\nbreaks\r!")
                .value("café ☕")
                .endRow()
                .finish();

        assertThat(sent.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"k\":\"x\\\\\\\\y\\\\n\"}\tkind\\twith\\nbreaks\\r!\tcafé ☕\n");
    }

    @Test
    void eachCharacterToEscapeIsEscapedAlsoWhenItIsTheValuesOnlyOne() throws SQLException {
        copy.value("a\\b")
                .value("a\tb")
                .value("a\nb")
                .value("a\rb")
                .value("a b")
                .endRow()
                .finish();

        assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo("a\\\\b\ta\\tb\ta\\nb\ta\\rb\ta b\n");
    }

    @Test
    void rowsGoToTheSinkWholeOnceAChunkIsFullAndTheRestOnFinish() throws SQLException {
        String value = "x".repeat(1000);
        int rows = 3 * CopyText.FLUSH_AT / 1000;
        for (int i = 0; i < rows; i++) {
            copy.value(value).value(i).endRow();
            // Only whole rows are sent: what the sink has so far ends a row.
            assertThat(sent.size() == 0 || sent.toString(StandardCharsets.UTF_8).endsWith("\n"))
                    .isTrue();
        }
        assertThat(sent.size()).as("sent before the end").isPositive();
        copy.finish();

        String[] lines = sent.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(rows + 1);
        for (int i = 0; i < rows; i++) {
            assertThat(lines[i]).isEqualTo(value + "\t" + i);
        }
        assertThat(lines[rows]).isEmpty();
    }
}
