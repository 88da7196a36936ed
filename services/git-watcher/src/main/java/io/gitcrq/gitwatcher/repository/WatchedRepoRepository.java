package io.gitcrq.gitwatcher.repository;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class WatchedRepoRepository implements PanacheRepositoryBase<WatchedRepo, String> {

    public Optional<WatchedRepo> byName(String name) {
        return findByIdOptional(name);
    }

    public List<WatchedRepo> withWebhookSecret() {
        return list("webhookSecret is not null");
    }

    public List<WatchedRepo> listByName() {
        return listAll(Sort.ascending("name"));
    }
}
