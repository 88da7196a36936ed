package io.gitcrq.mergebot.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The latest report of one check on one commit of a repository. */
@Entity
@Table(name = "check_run")
@IdClass(CheckRun.Key.class)
public class CheckRun extends PanacheEntityBase {

    public record Key(String repo, String commitId, String name) implements Serializable {
        public Key() {
            this(null, null, null);
        }
    }

    @Id
    public String repo;

    @Id
    @Column(name = "commit_id")
    public String commitId;

    @Id
    public String name;

    /** PENDING, SUCCESS or FAILURE (CheckReported's statuses). */
    @Column(nullable = false)
    public String status;

    public String url;

    @Column(name = "reported_by", nullable = false)
    public String reportedBy;

    @Column(nullable = false)
    public Instant at;
}
