package io.gitcrq.mergebot.domain;

import io.gitcrq.model.policy.CrqId;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An approved CRQ waiting its turn to be merged into {@code targetBranch} of {@code repo}. */
@Entity
@Table(name = "merge_queue_entry")
public class MergeQueueEntry extends PanacheEntityBase {
    @Id
    @Column(name = "crq_id")
    public Long crqNumber;

    @Column(nullable = false)
    public String repo;

    @Column(name = "target_branch", nullable = false)
    public String targetBranch;

    @Column(nullable = false)
    public String approver;

    /**
     * The commit the approval is for: merged only while it is the branch's head. Null for an approval that named
     * no commit (published before approvals did): the head found at merge time is merged.
     */
    @Column(name = "approved_commit")
    public String approvedCommit;

    /** The queue's order: earlier approvals are merged first among those ready. */
    @Column(name = "approved_at", nullable = false)
    public Instant approvedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public QueueState state;

    /** What was last announced for the CRQ (why it waits, or why it is blocked). */
    public String reason;

    @Column(name = "enqueued_at", nullable = false)
    public Instant enqueuedAt;

    public CrqId crqId() {
        return new CrqId(crqNumber);
    }
}
