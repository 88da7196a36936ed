package io.gitcrq.mergebot.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The head merge-bot was about to move a CRQ's target to (committed before the move; see V3 migration). */
@Entity
@Table(name = "merge_intent")
public class MergeIntent extends PanacheEntityBase {
    @Id
    @Column(name = "crq_id")
    public Long crqNumber;

    @Column(nullable = false)
    public String repo;

    @Column(name = "target_branch", nullable = false)
    public String targetBranch;

    @Column(nullable = false)
    public String branch;

    @Column(name = "new_head", nullable = false)
    public String newHead;

    @Column(nullable = false)
    public Instant at;
}
