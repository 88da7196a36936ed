package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.MergeIntent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MergeIntentRepository implements PanacheRepositoryBase<MergeIntent, Long> {}
