package io.gitcrq.kit.secret;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The key secrets are sealed with at rest: {@code gitcrq.secrets.key-file} (a file holding the base64 of 32 random
 * bytes, readable by the service alone) or {@code gitcrq.secrets.key} (the same text, e.g. from a Kubernetes secret
 * in an environment variable). The file wins when both are set.
 */
@ConfigMapping(prefix = "gitcrq.secrets")
public interface SecretsConfig {
    Optional<String> key();

    Optional<Path> keyFile();
}
