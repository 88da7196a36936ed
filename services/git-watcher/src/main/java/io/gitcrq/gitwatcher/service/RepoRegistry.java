package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.Actor;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.Branches;
import io.gitcrq.gitwatcher.git.GitAccessException;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.gitwatcher.repository.BranchPositions;
import io.gitcrq.gitwatcher.repository.RepoLocks;
import io.gitcrq.gitwatcher.repository.WatchedRepoRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.WebhookSettingsChanged;
import io.gitcrq.model.repo.RepoLocation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/** The repositories git-watcher watches: registering one announces it and takes its branches as they are. */
@ApplicationScoped
public class RepoRegistry {

    /** A registration returns the repository and whether this call created it (else it was there already). */
    public record Registration(WatchedRepo repo, boolean created) {}

    static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private final WatchedRepoRepository repos;
    private final GitRepositories repositories;
    private final RepoLocks locks;
    private final ChangeDetector detector;
    private final Outbox outbox;
    private final LastPolls lastPolls;
    private final WebhookSecrets secrets;
    private final BranchPositions positions;

    public RepoRegistry(
            WatchedRepoRepository repos,
            GitRepositories repositories,
            RepoLocks locks,
            ChangeDetector detector,
            Outbox outbox,
            LastPolls lastPolls,
            WebhookSecrets secrets,
            BranchPositions positions) {
        this.positions = positions;
        this.lastPolls = lastPolls;
        this.secrets = secrets;
        this.repos = repos;
        this.repositories = repositories;
        this.locks = locks;
        this.detector = detector;
        this.outbox = outbox;
    }

    /** What a Git host's webhooks call a repository and sign its deliveries with; either may be null. */
    public record Webhook(String name, String secret) {
        public static final Webhook NONE = new Webhook(null, null);

        /** Never the secret: a record's own toString would put it into any log line that prints this. */
        @Override
        public String toString() {
            return "Webhook[name=" + name + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }

    /**
     * Registers a repository for {@code actor}, who owns it then; the same name and location again changes nothing
     * but the webhook settings given with it, which only an admin or the owner may change. Synchronized: two
     * registrations of one new remote would otherwise fetch into the same mirror at once.
     */
    public synchronized Registration register(
            String name, String rawLocation, String defaultBranch, Webhook webhook, Actor actor) {
        RepoLocation location;
        try {
            location = RepoLocation.of(rawLocation);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        Optional<WatchedRepo> existing = find(name);
        if (existing.isPresent()) {
            Registration same = sameOrConflict(existing.get(), location);
            return webhook.equals(Webhook.NONE)
                    ? same
                    : QuarkusTransaction.requiringNew().call(() -> updateWebhook(name, webhook, actor));
        }
        // The repository is reached before the transaction: a first fetch may take long and needs no lock.
        String branch;
        try {
            if (location.remote()) {
                repositories.refreshMirror(name, location.location());
            }
            try (Repository git = repositories.open(name, location)) {
                branch = defaultBranch != null ? defaultBranch : Branches.defaultBranch(git, !location.remote());
            }
        } catch (GitAccessException e) {
            throw new InvalidRequestException("cannot watch " + rawLocation + ": " + e.getMessage());
        }
        return QuarkusTransaction.requiringNew().call(() -> store(name, location, branch, webhook, actor));
    }

    private Registration store(String name, RepoLocation location, String defaultBranch, Webhook webhook, Actor actor) {
        if (!locks.tryLockWithin(name, LOCK_WAIT)) {
            throw new ConflictException(name + " is being registered or polled elsewhere; try again");
        }
        Optional<WatchedRepo> meanwhile = repos.byName(name); // another instance may have registered it
        if (meanwhile.isPresent()) {
            return sameOrConflict(meanwhile.get(), location);
        }
        WatchedRepo repo = new WatchedRepo();
        repo.name = name;
        repo.location = location.location();
        repo.remote = location.remote();
        repo.defaultBranch = defaultBranch;
        repo.registeredAt = SqlTimes.now();
        repo.webhookName = webhook.name();
        repo.webhookSecret = webhook.secret() == null ? null : secrets.seal(webhook.secret(), name);
        repo.registeredBy = actor == Actor.CONFIGURATION ? null : actor.name();
        repos.persistAndFlush(repo);
        outbox.publish(new RepoWatched(name, repo.location, defaultBranch));
        detector.detect(repo, false);
        lastPolls.polled(name);
        return new Registration(repo, true);
    }

    /**
     * Sets the webhook settings given; an absent one stays as it was. Only an admin or the repository's owner may:
     * whoever sets the secret decides which deliveries git-watcher believes.
     */
    private Registration updateWebhook(String name, Webhook webhook, Actor actor) {
        WatchedRepo repo =
                repos.byName(name).orElseThrow(() -> new EntityNotFoundException("no watched repository " + name));
        if (!actor.mayChange(repo)) {
            throw new NotPermittedException("only an admin"
                    + (repo.registeredBy == null ? "" : " or " + repo.registeredBy + ", who registered " + name + ",")
                    + " may change the webhook settings of " + name);
        }
        String nameBefore = repo.webhookName;
        boolean secretReplaced = webhook.secret() != null
                && !webhook.secret().equals(secrets.open(repo).orElse(null));
        if (webhook.name() != null) {
            repo.webhookName = webhook.name();
        }
        if (secretReplaced) {
            repo.webhookSecret = secrets.seal(webhook.secret(), name);
        }
        if (secretReplaced || !Objects.equals(nameBefore, repo.webhookName)) {
            // For the audit trail (a governance record): who changed which deliveries are believed; never the secret.
            outbox.publish(new WebhookSettingsChanged(
                    name, actor.name(), nameBefore, repo.webhookName, secretReplaced, SqlTimes.now()));
        }
        return new Registration(repo, false);
    }

    /**
     * Stops watching a repository, as an admin or its owner asks: its branch positions are forgotten (watched again,
     * its history is taken as seen, as at a first registration), what was announced and found stays on record, and
     * {@link RepoUnwatched} tells the other services and the audit trail. A repository in git-watcher's configuration
     * ({@code gitcrq.git-watcher.repos}) comes back at the next start unless it is taken out there too.
     */
    public void unwatch(String name, Actor actor) {
        WatchedRepo repo = QuarkusTransaction.requiringNew().call(() -> {
            WatchedRepo watched =
                    repos.byName(name).orElseThrow(() -> new EntityNotFoundException("no watched repository " + name));
            if (!actor.mayChange(watched)) {
                throw new NotPermittedException("only an admin"
                        + (watched.registeredBy == null
                                ? ""
                                : " or " + watched.registeredBy + ", who registered " + name + ",")
                        + " may stop watching " + name);
            }
            if (!locks.tryLockWithin(name, LOCK_WAIT)) {
                throw new ConflictException(name + " is being polled; try again");
            }
            positions.removeAll(name);
            repos.delete(watched);
            outbox.publish(new RepoUnwatched(name, actor.name(), SqlTimes.now()));
            return watched;
        });
        if (repo.remote) {
            repositories.removeMirror(name);
        }
    }

    private static Registration sameOrConflict(WatchedRepo repo, RepoLocation location) {
        if (!repo.location.equals(location.location())) {
            throw new ConflictException("repository " + repo.name + " is already watched at " + repo.location
                    + "; register " + location.location() + " under another name");
        }
        return new Registration(repo, false);
    }

    @Transactional
    public Optional<WatchedRepo> find(String name) {
        return repos.byName(name);
    }

    @Transactional
    public WatchedRepo get(String name) {
        return find(name).orElseThrow(() -> new EntityNotFoundException("no watched repository " + name));
    }

    @Transactional
    public List<WatchedRepo> list() {
        return repos.listByName();
    }
}
