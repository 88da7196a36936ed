package io.gitcrq.audit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns retention on (one year) for the test application, without another boot, and gives audit-collector a signing
 * key of its own (a temporary directory, not the user's home). The scheduled run stays an
 * interval (6 hours) away; tests apply retention to hosts of their own through POST /audit/retention?host=.
 */
public class RetentionConfigTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            // audit-collector's own signing key, made by the test application in a directory of its own.
            Path keys = Files.createTempDirectory("audit-collector-key");
            return Map.of(
                    "gitcrq.audit.retention",
                    "P365D",
                    "gitcrq.audit.signing-key-file",
                    keys.resolve("signing.key").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
