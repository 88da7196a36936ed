package io.gitcrq.mergebot.service;

import io.gitcrq.kit.secret.SecretRedactor;
import io.gitcrq.model.repo.RepoLocation;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Where a watched repository's merges land: a local repository in place; a remote one a bare mirror each under {@code gitcrq.merge-bot.mirror-dir},
 * and the credentials configured for the repository ({@code gitcrq.merge-bot.credentials."<repo>".username}
 * and {@code .password}, typically from the environment). Credentials are handed to JGit's transport only:
 * they are never written into the mirror's config, a URL, a log line or an event.
 */
@ApplicationScoped
public class RepoLandings {

    private static final int TIMEOUT_SECONDS = 120;

    private final MergeBotConfig config;
    private final SecretRedactor redactor;

    public RepoLandings(MergeBotConfig config) {
        this.config = config;
        List<String> secrets = new ArrayList<>();
        config.credentials().forEach((repo, credentials) -> {
            if (credentials.password().length() < SecretRedactor.MIN_SECRET_LENGTH) {
                // A one- or two-letter password could not be masked in text without masking ordinary words.
                throw new IllegalStateException("gitcrq.merge-bot.credentials.\"" + repo
                        + "\".password is shorter than " + SecretRedactor.MIN_SECRET_LENGTH + " characters");
            }
            secrets.add(credentials.password());
        });
        this.redactor = new SecretRedactor(secrets);
    }

    /** Where merges of the repository at {@code location} (as RepoWatched gave it) are made and how they reach it. */
    public Landing of(String repo, String location) {
        RepoLocation where = RepoLocation.of(location);
        Optional<Path> local = where.localDirectory();
        if (local.isPresent()) {
            return new LocalLanding(local.get().toFile(), config.staleRefLockAfter());
        }
        return new RemoteLanding(
                where.location(),
                mirrorOf(repo),
                credentialsOf(repo).orElse(null),
                redactor,
                TIMEOUT_SECONDS,
                config.staleRefLockAfter());
    }

    public SecretRedactor redactor() {
        return redactor;
    }

    private Path mirrorOf(String repo) {
        return config.mirrorDir().resolve(repo + ".git");
    }

    private Optional<CredentialsProvider> credentialsOf(String repo) {
        return Optional.ofNullable(config.credentials().get(repo))
                .map(c -> new UsernamePasswordCredentialsProvider(c.username(), c.password()));
    }
}
