package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexEscapesTest {

    @Test
    void escapesBecomeTheirBytesAndTheRestStaysAsItIs() {
        // a file name as gitcrq-filetrace writes it: control bytes and backslashes escaped, UTF-8 (an emoji too) kept
        assertThat(HexEscapes.decode("/w/caf\u00e9 \uD83D\uDE00\\x0a\\x5cn", c -> c >= ' '))
                .isEqualTo("/w/caf\u00e9 \uD83D\uDE00\n\\n");
        // an argument as gitcrq-proctrace writes it: every byte outside !..~ escaped, UTF-8 included
        assertThat(HexEscapes.decode("caf\\xc3\\xa9", c -> c > ' ' && c < 0x7f)).isEqualTo("caf\u00e9");
        assertThat(HexEscapes.decode("plain", c -> c > ' ')).isEqualTo("plain");
    }

    @Test
    void aBrokenEscapeOrACharacterNotAllowedIsRefused() {
        assertThatThrownBy(() -> HexEscapes.decode("a\\x4", c -> true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexEscapes.decode("a\\y41", c -> true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexEscapes.decode("a\\x+1", c -> true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexEscapes.decode("a b", c -> c > ' ')).isInstanceOf(IllegalArgumentException.class);
    }
}
