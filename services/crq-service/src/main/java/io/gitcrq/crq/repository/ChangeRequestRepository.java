package io.gitcrq.crq.repository;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.domain.CrqTransition;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class ChangeRequestRepository implements PanacheRepository<ChangeRequest> {

    public Optional<ChangeRequest> byNumber(long number) {
        return findByIdOptional(number);
    }

    public List<ChangeRequest> list(CrqStatus status, String repo) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        }
        if (repo != null) {
            query.append(" and repo = :repo");
            params.put("repo", repo);
        }
        return find(query.toString(), Sort.descending("id"), params).list();
    }

    /** Adds a step to a CRQ's history. */
    public void addToHistory(CrqTransition transition) {
        transition.persist();
    }

    public List<CrqTransition> historyOf(long number) {
        return CrqTransition.list("crqId", Sort.ascending("id"), number);
    }
}
