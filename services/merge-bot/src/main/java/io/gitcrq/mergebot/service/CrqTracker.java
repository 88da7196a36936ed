package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.mergebot.domain.TrackedCrq;
import io.gitcrq.mergebot.repository.TrackedCrqRepository;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Each CRQ and its current status, as crq-service's events tell them (in order: they share the CRQ's key). */
@ApplicationScoped
public class CrqTracker {

    private static final String CREATED_STATUS = "DRAFT";

    private final TrackedCrqRepository crqs;

    public CrqTracker(TrackedCrqRepository crqs) {
        this.crqs = crqs;
    }

    @Transactional
    public void created(CrqCreated event) {
        TrackedCrq crq = findOrNew(CrqId.parse(event.crqId()), CREATED_STATUS);
        crq.repo = event.repo();
        crq.targetBranch = event.targetBranch();
        crq.requester = event.requester();
        touch(crq);
    }

    @Transactional
    public void statusChanged(CrqStatusChanged event) {
        TrackedCrq crq = findOrNew(CrqId.parse(event.crqId()), event.to());
        crq.status = event.to();
        touch(crq);
    }

    public Optional<TrackedCrq> find(CrqId id) {
        return crqs.findByIdOptional(id.number());
    }

    private TrackedCrq findOrNew(CrqId id, String status) {
        return crqs.findByIdOptional(id.number()).orElseGet(() -> {
            TrackedCrq crq = new TrackedCrq();
            crq.number = id.number();
            crq.status = status;
            return crq;
        });
    }

    private void touch(TrackedCrq crq) {
        crq.updatedAt = SqlTimes.now();
        crqs.persist(crq);
    }
}
