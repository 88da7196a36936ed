package io.gitcrq.mergebot.domain;

import io.gitcrq.model.policy.CrqId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One time merge-bot tried to merge a CRQ: merged (with its merge commit) or blocked (with why). */
@Entity
@Table(name = "merge_attempt")
public class MergeAttempt extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "crq_id", nullable = false)
    public Long crqNumber;

    @Column(nullable = false)
    public String repo;

    /** Empty when no single branch of the CRQ was found. */
    public String branch;

    @Column(name = "target_branch", nullable = false)
    public String targetBranch;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MergeOutcome outcome;

    public String reason;

    @Column(name = "merge_commit")
    public String mergeCommit;

    @Column(nullable = false)
    public Instant at;

    public CrqId crqId() {
        return new CrqId(crqNumber);
    }
}
