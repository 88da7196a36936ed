package io.gitcrq.execagent.recording;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.model.secret.SecretForms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Masks the secrets of {@code gitcrq.exec.redact} as {@value #MASK}: in the output of commands (log and
 * recording) and in what the agent publishes about them; each in its common encoded forms too ({@link SecretForms}:
 * base64, URL encoding, hex). An entry is a literal value, or {@code env:NAME} for
 * the value of the agent's environment variable NAME (which panes of the agent's tmux server inherit).
 * <p>
 * Output is masked as bytes, in a stream ({@link Stream}): a secret split across two chunks is masked all the
 * same, its {@value #MASK} going out with the chunk where it began.
 */
@ApplicationScoped
public class Redactor {

    public static final String MASK = "***";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.UTF_8);
    private static final Logger LOG = Logger.getLogger(Redactor.class);

    /** The secrets as registered. */
    private volatile Set<String> registered;

    /**
     * Every form of every secret, longest first: where two match at one place, the longer one is masked. Replaced
     * whole when a secret is registered, so a mask or a stream in progress works on one consistent set.
     */
    private volatile List<String> secrets;

    private volatile byte[][] secretBytes;

    @Inject
    public Redactor(ExecAgentConfig config) {
        this(config.redact().orElse(List.of()), System::getenv);
    }

    Redactor(List<String> entries, UnaryOperator<String> environment) {
        Set<String> values = new LinkedHashSet<>();
        for (String entry : entries) {
            String value = entry;
            if (entry.startsWith("env:")) {
                value = environment.apply(entry.substring(4).trim());
                if (value == null || value.isEmpty()) {
                    LOG.warnf("gitcrq.exec.redact names %s, which is not set: nothing to mask for it", entry);
                    continue;
                }
            }
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        use(values);
    }

    /**
     * Masks {@code value} from now on, wherever this agent writes: a credential a launch profile injects is known
     * only when it is resolved. Registered before the command that gets it starts, so its output is masked too.
     */
    public synchronized void register(String value) {
        if (value == null || value.isEmpty() || registered.contains(value)) {
            return;
        }
        Set<String> values = new LinkedHashSet<>(registered);
        values.add(value);
        use(values);
    }

    private void use(Set<String> values) {
        this.registered = Set.copyOf(values);
        List<String> sorted = values.stream()
                .flatMap(value -> SecretForms.of(value).stream())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        this.secretBytes =
                sorted.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.secrets = sorted;
    }

    public static Redactor of(List<String> entries, UnaryOperator<String> environment) {
        return new Redactor(entries, environment);
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code text} with every secret masked; null stays null. */
    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /**
     * A JSON-like value (maps, lists, strings, numbers, booleans, null) with every secret in its strings, map keys
     * included, masked: what an audit source captured, before it is published.
     */
    public Object maskAll(Object value) {
        if (secrets.isEmpty()) {
            return value;
        }
        if (value instanceof String text) {
            return mask(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> masked = new LinkedHashMap<>();
            map.forEach((k, v) -> masked.put(maskAll(k), maskAll(v)));
            return masked;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(this::maskAll).toList();
        }
        return value;
    }

    /** A masking stream over bytes, for one output. */
    public Stream stream() {
        return new Stream();
    }

    /**
     * Masks the secrets in {@code file} in place (a masked copy renamed over it); a file without any is left
     * untouched. Answers whether anything was masked.
     */
    public boolean maskFile(Path file) throws IOException {
        if (secrets.isEmpty() || !Files.exists(file)) {
            return false;
        }
        Path masked = file.resolveSibling(file.getFileName() + ".masking");
        Stream stream = stream();
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = Files.newOutputStream(masked)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(stream.feed(buffer, 0, n));
            }
            out.write(stream.finish());
        } catch (NoSuchFileException gone) {
            Files.deleteIfExists(masked);
            return false;
        }
        if (stream.masked() == 0) {
            Files.delete(masked);
            return false;
        }
        Files.move(masked, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /**
     * Bytes in, masked bytes out. Bytes that may be the start of a secret are held back until the next chunk
     * tells (or {@link #finish()}), so what {@link #feed} answers may be shorter or longer than its chunk.
     */
    public final class Stream {
        private byte[] pending = new byte[0];
        private int masked;

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
            if (secretBytes.length == 0) {
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
            for (byte[] secret : secretBytes) {
                if (secret.length > left && Arrays.equals(buffer, p, buffer.length, secret, 0, left)) {
                    return true;
                }
            }
            return false;
        }

        /** The length of the longest secret at {@code p}, or 0. */
        private int matchAt(byte[] buffer, int p) {
            for (byte[] secret : secretBytes) {
                if (secret.length <= buffer.length - p
                        && Arrays.equals(buffer, p, p + secret.length, secret, 0, secret.length)) {
                    return secret.length;
                }
            }
            return 0;
        }
    }
}
