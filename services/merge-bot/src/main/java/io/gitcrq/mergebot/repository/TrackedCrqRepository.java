package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.TrackedCrq;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TrackedCrqRepository implements PanacheRepositoryBase<TrackedCrq, Long> {}
