package io.gitcrq.execagent.recording;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.model.secret.KnownSecrets;
import io.gitcrq.model.secret.SecretForms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
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
 * The masking itself is {@link KnownSecrets}'s; this adds where the secrets come from, the ones registered while the
 * agent runs, and the shapes it masks: captured structures and files.
 */
@ApplicationScoped
public class Redactor {

    public static final String MASK = KnownSecrets.MASK;
    private static final Logger LOG = Logger.getLogger(Redactor.class);

    /** Replaced whole when a secret is registered, so a mask or a stream in progress works on one consistent set. */
    private volatile KnownSecrets secrets;

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
            values.add(value);
        }
        secrets = KnownSecrets.of(values);
    }

    /**
     * Masks {@code value} from now on, wherever this agent writes: a credential a launch profile injects is known
     * only when it is resolved. Registered before the command that gets it starts, so its output is masked too.
     */
    public synchronized void register(String value) {
        secrets = secrets.with(value);
    }

    public static Redactor of(List<String> entries, UnaryOperator<String> environment) {
        return new Redactor(entries, environment);
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code text} with every secret masked; null stays null. */
    public String mask(String text) {
        return secrets.mask(text);
    }

    /**
     * A JSON-like value (maps, lists, strings, numbers, booleans, null) with every secret in its strings, map keys
     * included, masked: what an audit source captured, before it is published.
     */
    public Object maskAll(Object value) {
        KnownSecrets known = secrets;
        return known.isEmpty() ? value : maskAll(known, value);
    }

    private static Object maskAll(KnownSecrets known, Object value) {
        if (value instanceof String text) {
            return known.mask(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> masked = new LinkedHashMap<>();
            map.forEach((k, v) -> masked.put(maskAll(known, k), maskAll(known, v)));
            return masked;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(v -> maskAll(known, v)).toList();
        }
        return value;
    }

    /** A masking stream over bytes, for one output (see {@link KnownSecrets.Stream}). */
    public KnownSecrets.Stream stream() {
        return secrets.stream();
    }

    /**
     * Masks the secrets in {@code file} in place (a masked copy renamed over it); a file without any is left
     * untouched. Answers whether anything was masked.
     */
    public boolean maskFile(Path file) throws IOException {
        KnownSecrets known = secrets;
        if (known.isEmpty() || !Files.exists(file)) {
            return false;
        }
        Path masked = file.resolveSibling(file.getFileName() + ".masking");
        KnownSecrets.Stream stream = known.stream();
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
}
