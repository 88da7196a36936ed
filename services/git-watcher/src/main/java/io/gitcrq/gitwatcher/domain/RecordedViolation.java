package io.gitcrq.gitwatcher.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A PolicyViolation this service published, kept so that people can list them. */
@Entity
@Table(name = "policy_violation")
public class RecordedViolation extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String repo;

    @Column(nullable = false)
    public String ref;

    @Column(name = "commit_id")
    public String commitId;

    @Column(nullable = false)
    public String rule;

    public String detail;

    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt;
}
