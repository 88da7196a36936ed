package io.gitcrq.execagent.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

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
}
