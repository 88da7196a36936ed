package io.gitcrq.execagent.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;

/** A CRQ as this agent knows it from crq-service's events: what a launch tells the tool about its work. */
@Entity
@Table(name = "crq_view")
public class CrqView extends PanacheEntityBase {

    @Id
    @Column(name = "crq_id")
    public String crqId;

    @Column(nullable = false)
    public String title;

    public String description;

    public String requester;

    public String repo;

    @Column(nullable = false)
    public String status;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * The statuses in which work may still happen on a CRQ, as crq-service says ({@code CrqStatus.isOpen}); OPEN is
     * how this view records a CRQ just created (crq-service's DRAFT).
     */
    public static final Set<String> OPEN_STATUSES = Set.of("OPEN", "DRAFT", "SUBMITTED", "APPROVED");

    /** Whether commands may still run for this CRQ: not once it is MERGED, CLOSED, REJECTED or CANCELLED. */
    public boolean open() {
        return OPEN_STATUSES.contains(status);
    }
}
