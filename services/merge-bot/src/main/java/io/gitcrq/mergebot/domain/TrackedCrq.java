package io.gitcrq.mergebot.domain;

import io.gitcrq.model.policy.CrqId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A CRQ as crq-service's events describe it. {@code status} is the status name of its last
 * CrqStatusChanged: merge-bot only merges a CRQ that is APPROVED here.
 */
@Entity
@Table(name = "tracked_crq")
public class TrackedCrq extends PanacheEntityBase {

    public static final String APPROVED = "APPROVED";

    @Id
    @Column(name = "crq_id")
    public Long number;

    public String repo;

    @Column(name = "target_branch")
    public String targetBranch;

    public String requester;

    @Column(nullable = false)
    public String status;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public CrqId crqId() {
        return new CrqId(number);
    }

    public boolean isApproved() {
        return APPROVED.equals(status);
    }
}
