package io.gitcrq.archfixture.bad.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Gadget extends PanacheEntityBase {
    @Id
    public long id;
}
