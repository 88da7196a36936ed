package io.gitcrq.gitwatcher.domain;

import io.gitcrq.model.repo.RepoLocation;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A repository git-watcher watches: local (a path) or remote (a URL read through a bare mirror). */
@Entity
@Table(name = "watched_repo")
public class WatchedRepo extends PanacheEntityBase {
    @Id
    public String name;

    /** Absolute path of a local repository, or the URL of a remote one. */
    @Column(nullable = false)
    public String location;

    @Column(nullable = false)
    public boolean remote;

    @Column(name = "default_branch", nullable = false)
    public String defaultBranch;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    /** What the Git host calls the repository in its webhooks (e.g. {@code acme/demo}); null: its name. */
    @Column(name = "webhook_name")
    public String webhookName;

    /**
     * The secret webhooks of this repository are signed with, sealed (SecretBox, bound to the repository's name);
     * never returned, never logged, never stored in plain text.
     */
    @Column(name = "webhook_secret")
    public String webhookSecret;

    /** Who registered the repository; null for one from configuration or from before owners were kept. */
    @Column(name = "registered_by")
    public String registeredBy;

    public RepoLocation repoLocation() {
        return new RepoLocation(location, remote);
    }
}
