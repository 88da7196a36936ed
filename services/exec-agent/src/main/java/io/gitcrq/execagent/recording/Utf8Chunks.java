package io.gitcrq.execagent.recording;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes output arriving in chunks as UTF-8: a character split between two chunks is carried over to the
 * next, bytes that are no UTF-8 at all become U+FFFD, and so does a sequence left incomplete at the end.
 */
final class Utf8Chunks {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] carry = new byte[0];

    /** The text of {@code bytes} after what was carried; {@code end}: no more bytes will come. */
    String decode(byte[] bytes, boolean end) {
        ByteBuffer in = ByteBuffer.allocate(carry.length + bytes.length)
                .put(carry)
                .put(bytes)
                .flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 4);
        decoder.decode(in, out, end);
        if (end) {
            decoder.flush(out);
        }
        carry = new byte[in.remaining()];
        in.get(carry);
        return out.flip().toString();
    }
}
