package io.gitcrq.mergebot;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Git host for merge-bot's remote merges: every repository on this machine served over smart HTTP to one
 * user, and merge-bot configured with the right password for repo {@value #REPO_WITH_TOKEN} and a wrong one for
 * {@value #REPO_WITH_WRONG_TOKEN}; its mirrors go to a fresh directory.
 */
public class RemoteGitTestResource implements QuarkusTestResourceLifecycleManager {

    static final String USER = "merge-bot";
    static final String TOKEN = "tok-3f9c1e7a5b-remote-secret";
    static final String WRONG_TOKEN = "tok-wrong-8d2e4b6f0a";
    static final String REPO_WITH_TOKEN = "remote-ok";
    static final String REPO_WITH_WRONG_TOKEN = "remote-bad";

    private static GitHttpServer server;
    private static Path mirrors;

    @Override
    public Map<String, String> start() {
        try {
            server = new GitHttpServer(Path.of("/"), USER, TOKEN);
            mirrors = Files.createTempDirectory("merge-bot-mirrors-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String credentials = "gitcrq.merge-bot.credentials.";
        return Map.of(
                "gitcrq.merge-bot.mirror-dir",
                mirrors.toString(),
                credentials + REPO_WITH_TOKEN + ".username",
                USER,
                credentials + REPO_WITH_TOKEN + ".password",
                TOKEN,
                credentials + REPO_WITH_WRONG_TOKEN + ".username",
                USER,
                credentials + REPO_WITH_WRONG_TOKEN + ".password",
                WRONG_TOKEN);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The HTTP URL of a bare repository on this machine. */
    static String url(Path bare) {
        return server.url(bare.toAbsolutePath().toString().substring(1));
    }

    static Path mirrors() {
        return mirrors;
    }
}
