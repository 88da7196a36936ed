package io.gitcrq.crq.domain;

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
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "change_request")
public class ChangeRequest extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String requester;

    public String approver;

    /** The head of the CRQ's branch its approval is for: merge-bot merges this commit and no other. */
    @Column(name = "approved_commit")
    public String approvedCommit;

    /** Why the CRQ's last approval no longer holds (a commit pushed after it), until it is approved again. */
    @Column(name = "approval_withdrawn")
    public String approvalWithdrawn;

    @Column(nullable = false)
    public String repo;

    @Column(name = "target_branch", nullable = false)
    public String targetBranch;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CrqStatus status;

    /** Why merge-bot could not merge the CRQ, until it does: on the CRQ itself, never only in a log. */
    @Column(name = "blocked_reason")
    public String blockedReason;

    /** Why merge-bot holds the approved CRQ in its merge queue (e.g. waiting for checks), until it merges or blocks it. */
    @Column(name = "waiting_reason")
    public String waitingReason;

    @Column(name = "merge_commit")
    public String mergeCommit;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Two approvals racing on one CRQ: the second fails instead of overwriting. */
    @Version
    public long version;

    public CrqId crqId() {
        return new CrqId(id);
    }
}
