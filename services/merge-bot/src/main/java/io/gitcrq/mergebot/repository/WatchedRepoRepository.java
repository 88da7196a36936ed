package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.WatchedRepo;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WatchedRepoRepository implements PanacheRepositoryBase<WatchedRepo, String> {}
