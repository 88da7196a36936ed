package io.gitcrq.gitwatcher;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.util.FileUtils;

/**
 * Gives the application a temporary directory for its mirrors and a repository to watch from configuration
 * ({@code configured}, with its webhook name and secret there too), made with the git CLI before the
 * application starts; a scan chunk size and webhook body limit small enough for tests to exceed; and a
 * service-wide policy that differs from the defaults (one more exempt branch).
 */
public class WatchedReposTestResource implements QuarkusTestResourceLifecycleManager {

    static final String CONFIGURED_WEBHOOK_NAME = "acme/configured";
    static final String CONFIGURED_WEBHOOK_SECRET = "configured-secret-from-config";
    static final int MAX_WEBHOOK_BODY = 65536;
    static final String SERVICE_EXEMPT = "main,master,develop,trunk";

    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("git-watcher-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestRepo configured = TestRepo.create(root, "configured");
        return Map.of(
                "gitcrq.git-watcher.mirror-dir",
                root.resolve("mirrors").toString(),
                "gitcrq.git-watcher.repos.\"configured\".location",
                configured.bare.toString(),
                "gitcrq.git-watcher.repos.\"configured\".webhook-name",
                CONFIGURED_WEBHOOK_NAME,
                "gitcrq.git-watcher.repos.\"configured\".webhook-secret",
                CONFIGURED_WEBHOOK_SECRET,
                // Small enough that a scan of a few hundred commits takes several chunks, and a test body runs over.
                "gitcrq.git-watcher.scan-chunk-size",
                "64",
                "gitcrq.git-watcher.webhook-max-body-bytes",
                String.valueOf(MAX_WEBHOOK_BODY),
                // The service-wide policy: the defaults and one more exempt branch, under each repository's own.
                "gitcrq.policy.exempt-branches",
                SERVICE_EXEMPT);
    }

    @Override
    public void stop() {
        try {
            FileUtils.delete(root.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
