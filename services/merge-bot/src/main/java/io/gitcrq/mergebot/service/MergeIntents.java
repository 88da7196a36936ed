package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.mergebot.domain.MergeIntent;
import io.gitcrq.mergebot.repository.MergeIntentRepository;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The head merge-bot is about to move a CRQ's target to, committed on its own before the move. The merge itself
 * is recorded in the queue's transaction, which can still fail after the ref moved; the intent lets the next
 * attempt recognise the move as its own (see {@link BranchMerger#merge}).
 */
@ApplicationScoped
public class MergeIntents {

    private final MergeIntentRepository intents;

    public MergeIntents(MergeIntentRepository intents) {
        this.intents = intents;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void moving(CrqId crq, String repo, String target, BranchMerger.Move move) {
        MergeIntent intent = intents.findByIdOptional(crq.number()).orElseGet(() -> {
            MergeIntent created = new MergeIntent();
            created.crqNumber = crq.number();
            return created;
        });
        intent.repo = repo;
        intent.targetBranch = target;
        intent.branch = move.branch();
        intent.newHead = move.newHead();
        intent.at = SqlTimes.now();
        intents.persist(intent);
    }

    /** The last move prepared for the CRQ into this repo and target, if any. */
    public Optional<BranchMerger.Move> lastMove(CrqId crq, String repo, String target) {
        return intents.findByIdOptional(crq.number())
                .filter(i -> i.repo.equals(repo) && i.targetBranch.equals(target))
                .map(i -> new BranchMerger.Move(i.branch, i.newHead));
    }

    public void forget(CrqId crq) {
        intents.deleteById(crq.number());
    }
}
