package io.gitcrq.mergebot.repository;

import io.gitcrq.mergebot.domain.MergeAttempt;
import io.gitcrq.mergebot.domain.MergeOutcome;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class MergeAttemptRepository implements PanacheRepository<MergeAttempt> {

    /** Newest first: the last attempt is what people look for. */
    public List<MergeAttempt> ofCrq(long crqNumber) {
        return list("crqNumber", Sort.descending("id"), crqNumber);
    }

    public Optional<MergeAttempt> mergedAttemptOf(long crqNumber) {
        return find("crqNumber = ?1 and outcome = ?2", crqNumber, MergeOutcome.MERGED)
                .firstResultOptional();
    }
}
