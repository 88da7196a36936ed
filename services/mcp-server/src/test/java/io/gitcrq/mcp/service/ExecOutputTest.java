package io.gitcrq.mcp.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text an exec printed, from its asciicast recording, as an agent reads it. */
class ExecOutputTest {

    private static final String HEADER = "{\"version\":2,\"width\":80,\"height\":24}\n";

    @Test
    void keepsTheLastLinesOfTheOutputEventsOnly() {
        String cast = HEADER
                + "[0.1,\"o\",\"one\\r\\ntwo\\r\\n\"]\n"
                + "[0.2,\"i\",\"typed\\r\"]\n"
                + "[0.3,\"r\",\"100x40\"]\n"
                + "[0.4,\"o\",\"three\\r\\nfour\\r\\n\"]\n";
        assertThat(ExecOutput.tail(cast, 2)).isEqualTo("three\nfour");
        assertThat(ExecOutput.tail(cast, 10)).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void showsWhatTheTerminalShowedWithoutControlSequences() {
        String cast = HEADER
                + "[0.1,\"o\",\"\\u001b[32mgreen\\u001b[0m \\u001b]0;title\\u0007done\\r\\n\"]\n"
                + "[0.2,\"o\",\"progress 10%\\rprogress 50%\\rprogress 100%\\r\\n\"]\n";
        assertThat(ExecOutput.tail(cast, 5)).isEqualTo("green done\nprogress 100%");
    }

    @Test
    void aRecordingWithoutOutputOrWithATornLastLineIsReadAsFarAsItGoes() {
        assertThat(ExecOutput.tail(HEADER, 5)).isEmpty();
        assertThat(ExecOutput.tail(HEADER + "[0.1,\"o\",\"kept\\r\\n\"]\n[0.2,\"o\",\"torn", 5))
                .isEqualTo("kept");
    }
}
