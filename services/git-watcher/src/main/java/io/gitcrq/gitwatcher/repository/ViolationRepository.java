package io.gitcrq.gitwatcher.repository;

import io.gitcrq.gitwatcher.domain.RecordedViolation;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ViolationRepository implements PanacheRepository<RecordedViolation> {

    /** Newest first; every repository's when {@code repo} is null. */
    public List<RecordedViolation> newestFirst(String repo) {
        Sort newestFirst = Sort.descending("detectedAt", "id");
        return repo == null ? listAll(newestFirst) : list("repo", newestFirst, repo);
    }
}
