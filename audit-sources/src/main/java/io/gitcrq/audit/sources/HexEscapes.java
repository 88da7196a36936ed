package io.gitcrq.audit.sources;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.IntPredicate;

/**
 * Text from our bundled programs (gitcrq-proctrace, gitcrq-filetrace), which write the bytes a line must not hold as
 * {@code \xHH}: decoded back to the bytes they stand for, and those as UTF-8.
 */
final class HexEscapes {

    private HexEscapes() {}

    /**
     * The text with each {@code \xHH} replaced by its byte.
     *
     * @param allowed which characters (code points) may stand as themselves
     * @throws IllegalArgumentException for a backslash not starting {@code \xHH}, or a character not allowed
     */
    static String decode(String text, IntPredicate allowed) {
        if (text.indexOf('\\') < 0 && text.codePoints().allMatch(allowed)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '\\') {
                if (i + 4 > text.length() || text.charAt(i + 1) != 'x') {
                    throw new IllegalArgumentException("a backslash starts \\xHH");
                }
                bytes.write(HexFormat.fromHexDigits(text, i + 2, i + 4));
                i += 4;
            } else if (allowed.test(c)) {
                byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(c);
            } else {
                throw new IllegalArgumentException("an unescaped character");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
