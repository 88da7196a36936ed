package io.gitcrq.model.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The forms a secret takes in what commands print and send, each masked like the secret itself: the value; its
 * base64 (standard and URL-safe) wherever it starts in the encoded data (an {@code Authorization: Basic} header encodes
 * {@code user:secret}, so the secret's bytes rarely start on a 3-byte boundary); its URL encoding (a query string, a
 * form); its hex. Encoded forms only for secrets of {@value #MIN_ENCODED_LENGTH} bytes or more, and only the part of
 * an encoding the secret alone decides: shorter fragments would mask ordinary text. Shared by exec-agent (its
 * Redactor) and mcp-server ({@link SecretArguments}), so both mask a secret alike.
 */
public final class SecretForms {

    public static final int MIN_ENCODED_LENGTH = 6;

    private SecretForms() {}

    /** {@code secret} and its encoded forms, the value first. */
    public static Set<String> of(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_ENCODED_LENGTH) {
            return forms;
        }
        for (int offset = 0; offset < 3; offset++) {
            String core = base64Core(bytes, offset);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(lowerCaseEscapes(form));
        forms.add(HexFormat.of().formatHex(bytes));
        forms.add(HexFormat.of().withUpperCase().formatHex(bytes));
        return forms;
    }

    /**
     * The base64 characters that depend on {@code bytes} alone when they start {@code offset} bytes (0–2) into a
     * 3-byte group: a character covers six bits, so those sharing bits with a neighbouring byte are left out.
     */
    private static String base64Core(byte[] bytes, int offset) {
        byte[] placed = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, placed, offset, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(placed);
        int firstBit = 8 * offset;
        int endBit = 8 * (offset + bytes.length);
        int first = (firstBit + 5) / 6;
        int end = endBit / 6;
        return encoded.substring(first, end);
    }

    private static String lowerCaseEscapes(String form) {
        StringBuilder out = new StringBuilder(form.length());
        for (int i = 0; i < form.length(); i++) {
            char c = form.charAt(i);
            if (c == '%' && i + 2 < form.length()) {
                out.append('%').append(form.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
