package io.gitcrq.mergebot.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A repository git-watcher watches, and where it lives: what merge-bot opens to merge into it. */
@Entity
@Table(name = "watched_repo")
public class WatchedRepo extends PanacheEntityBase {
    @Id
    public String repo;

    @Column(nullable = false)
    public String location;

    @Column(name = "default_branch")
    public String defaultBranch;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
