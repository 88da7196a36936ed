package io.gitcrq.crq.domain;

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

@Entity
@Table(name = "crq_transition")
public class CrqTransition extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "crq_id", nullable = false)
    public Long crqId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public CrqStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    public CrqStatus toStatus;

    @Column(nullable = false)
    public String actor;

    public String reason;

    @Column(nullable = false)
    public Instant at;
}
