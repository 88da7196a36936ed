package io.gitcrq.model.secret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Secrets known by value, masked as {@value #MASK} wherever they stand, each in every form {@link SecretForms} gives
 * (the value, its base64, URL and hex encodings): in text ({@link #mask}) and in a stream of bytes
 * ({@link #stream}). The one masking of known values that every redactor of gitcrq builds on: exec-agent's of
 * command output, service-kit's of logs and stored reasons, the MCP server's of tool arguments. Immutable; where two
 * forms match at one place, the longer is masked.
 */
public final class KnownSecrets {

    public static final String MASK = "***";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.UTF_8);
    private static final KnownSecrets NONE = new KnownSecrets(Set.of());

    /** The secrets as given. */
    private final Set<String> values;
    /** Every form of every secret, longest first. */
    private final List<String> forms;

    private final byte[][] formBytes;

    private KnownSecrets(Set<String> values) {
        this.values = values;
        this.forms = values.stream()
                .flatMap(value -> SecretForms.of(value).stream())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        this.formBytes =
                forms.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** {@code secrets} (null and empty ones left out: they mask nothing). */
    public static KnownSecrets of(Collection<String> secrets) {
        Set<String> values = new LinkedHashSet<>();
        secrets.stream().filter(Objects::nonNull).filter(s -> !s.isEmpty()).forEach(values::add);
        return values.isEmpty() ? NONE : new KnownSecrets(Set.copyOf(values));
    }

    public static KnownSecrets none() {
        return NONE;
    }

    /** These and {@code secret}. */
    public KnownSecrets with(String secret) {
        if (secret == null || secret.isEmpty() || values.contains(secret)) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(values);
        more.add(secret);
        return new KnownSecrets(Set.copyOf(more));
    }

    public boolean contains(String secret) {
        return values.contains(secret);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every form of every secret masked; null stays null. */
    public String mask(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String form : forms) {
            masked = masked.replace(form, MASK);
        }
        return masked;
    }

    /** A masking stream over bytes, for one output. */
    public Stream stream() {
        return new Stream();
    }

    /**
     * Bytes in, masked bytes out: a secret split across two chunks is masked all the same, its {@value #MASK} going
     * out with the chunk where it began. Bytes that may be the start of a secret are held back until the next chunk
     * tells (or {@link #finish()}), so what {@link #feed} answers may be shorter or longer than its chunk.
     */
    public final class Stream {
        private byte[] pending = new byte[0];
        private int masked;

        private Stream() {}

        public byte[] feed(byte[] chunk, int offset, int length) {
            return run(chunk, offset, length, false);
        }

        public byte[] feed(byte[] chunk) {
            return feed(chunk, 0, chunk.length);
        }

        /** What was held back: the output has ended, so it is no secret's beginning any more. */
        public byte[] finish() {
            return run(new byte[0], 0, 0, true);
        }

        /** How many secrets were masked so far. */
        public int masked() {
            return masked;
        }

        private byte[] run(byte[] chunk, int offset, int length, boolean end) {
            if (formBytes.length == 0) {
                return Arrays.copyOfRange(chunk, offset, offset + length);
            }
            byte[] buffer = new byte[pending.length + length];
            System.arraycopy(pending, 0, buffer, 0, pending.length);
            System.arraycopy(chunk, offset, buffer, pending.length, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(buffer.length);
            int p = 0;
            while (p < buffer.length) {
                if (!end && mayStartAt(buffer, p)) {
                    break;
                }
                int match = matchAt(buffer, p);
                if (match > 0) {
                    out.write(MASK_BYTES, 0, MASK_BYTES.length);
                    masked++;
                    p += match;
                } else {
                    out.write(buffer[p]);
                    p++;
                }
            }
            pending = Arrays.copyOfRange(buffer, p, buffer.length);
            return out.toByteArray();
        }

        /** A secret longer than what is left begins with all of it: the next chunk decides. */
        private boolean mayStartAt(byte[] buffer, int p) {
            int left = buffer.length - p;
            for (byte[] secret : formBytes) {
                if (secret.length > left && Arrays.equals(buffer, p, buffer.length, secret, 0, left)) {
                    return true;
                }
            }
            return false;
        }

        /** The length of the longest secret at {@code p}, or 0. */
        private int matchAt(byte[] buffer, int p) {
            for (byte[] secret : formBytes) {
                if (secret.length <= buffer.length - p
                        && Arrays.equals(buffer, p, p + secret.length, secret, 0, secret.length)) {
                    return secret.length;
                }
            }
            return 0;
        }
    }
}
