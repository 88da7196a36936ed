package io.gitcrq.gitwatcher;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives the application a temporary directory for its mirrors and a repository to watch from configuration
 * ({@code configured}), made with the git CLI before the application starts.
 */
public class WatchedReposTestResource implements QuarkusTestResourceLifecycleManager {

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
                "gitcrq.git-watcher.mirror-dir", root.resolve("mirrors").toString(),
                "gitcrq.git-watcher.repos.\"configured\".location", configured.bare.toString());
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
