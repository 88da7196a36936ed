package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.RecordedViolation;
import io.gitcrq.gitwatcher.repository.ViolationRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.PolicyViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Records a policy violation for GET /violations and announces it, in the caller's transaction. */
@ApplicationScoped
public class Violations {

    private final ViolationRepository rows;
    private final Outbox outbox;

    public Violations(ViolationRepository rows, Outbox outbox) {
        this.rows = rows;
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public PolicyViolation report(String repo, String ref, String commitId, String rule, String detail) {
        PolicyViolation violation = new PolicyViolation(repo, ref, commitId, rule, detail);
        RecordedViolation row = new RecordedViolation();
        row.repo = repo;
        row.ref = ref;
        row.commitId = commitId;
        row.rule = rule;
        row.detail = detail;
        row.detectedAt = SqlTimes.now();
        rows.persist(row);
        outbox.publish(violation);
        return violation;
    }
}
