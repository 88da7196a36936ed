package io.gitcrq.execagent.launch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a credential comes from — never the credential itself, so a profile file can be shared and shown: the
 * agent's environment variable {@code env}, or the file {@code file} (its content, a trailing newline dropped).
 * A reference that resolves to nothing refuses the launch, unless {@code optional}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialReference(String env, String file, Boolean optional) {

    /** What is wrong with this reference as written (for a profile's error message), or empty. */
    Optional<String> problem() {
        if ((env == null) == (file == null)) {
            return Optional.of("needs exactly one of env (an environment variable) or file (a path)");
        }
        if (file != null && !Path.of(file).isAbsolute()) {
            return Optional.of("file must be an absolute path, not '" + file + "'");
        }
        return Optional.empty();
    }

    boolean isOptional() {
        return Boolean.TRUE.equals(optional);
    }

    /** The value, or empty where the variable is unset or empty, or the file is missing or empty. */
    Optional<String> resolve(UnaryOperator<String> environment) throws IOException {
        String value;
        if (env != null) {
            value = environment.apply(env);
        } else {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException missing) {
                return Optional.empty();
            }
            value = value.endsWith("\r\n")
                    ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        }
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** How a person names it: {@code env:NAME} or {@code file:PATH}. */
    public String describe() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
