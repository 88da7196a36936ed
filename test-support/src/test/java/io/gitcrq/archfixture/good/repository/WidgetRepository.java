package io.gitcrq.archfixture.good.repository;

import io.gitcrq.archfixture.good.domain.Widget;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Queries and active-record calls belong here. */
public class WidgetRepository implements PanacheRepository<Widget> {
    private final EntityManager entityManager;

    public WidgetRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public void save(Widget widget) {
        widget.persist();
    }

    public List<Widget> named(String name) {
        return entityManager
                .createQuery("from Widget where name = ?1", Widget.class)
                .setParameter(1, name)
                .getResultList();
    }
}
