package io.gitcrq.archfixture.bad.service;

import io.gitcrq.archfixture.bad.domain.Gadget;
import jakarta.persistence.EntityManager;

/** Bad: a service querying the database itself. */
public class UsesEntityManager {
    private final EntityManager entityManager;

    public UsesEntityManager(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Gadget load(long id) {
        return entityManager.find(Gadget.class, id);
    }
}
