package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.repository.CrqViewRepository;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Commands run only for a CRQ this agent knows and that is still open (DRAFT, SUBMITTED, APPROVED): an unknown CRQ is
 * refused (404 over REST), a MERGED, CLOSED, REJECTED or CANCELLED one too (409). The agent knows CRQs from
 * crq-service's events, which travel on another topic than the requests: a CRQ created a moment ago may not have
 * reached this agent yet. So a CRQ not known yet is waited for, at most {@code gitcrq.exec.crq-wait}, each look in a
 * transaction of its own (so that it sees what the CRQ consumer committed meanwhile), and refused only then.
 */
@ApplicationScoped
public class CrqGate {

    private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

    private final CrqViewRepository crqs;
    private final ExecAgentConfig config;

    public CrqGate(CrqViewRepository crqs, ExecAgentConfig config) {
        this.crqs = crqs;
        this.config = config;
    }

    /** The open CRQ {@code crqId} (a valid CRQ id), once known; else the refusal, as a domain exception. */
    public CrqView admit(String crqId) {
        Optional<CrqView> crq = awaitKnown(crqId);
        if (crq.isEmpty()) {
            throw new EntityNotFoundException(crqId + " is not known on " + config.host() + " (no CrqCreated seen for"
                    + " it within " + config.crqWait().toMillis() + " ms): create the CRQ first");
        }
        if (!crq.get().open()) {
            throw new ConflictException(crqId + " is " + crq.get().status + ": no commands run for it any more");
        }
        return crq.get();
    }

    /** Null when commands may run for {@code crqId}; else why not (waiting for it as {@link #admit} does). */
    public String refusal(String crqId) {
        try {
            admit(crqId);
            return null;
        } catch (DomainException refused) {
            return refused.getMessage();
        }
    }

    /** The CRQ as this agent knows it now, without waiting; empty for an unknown CRQ or one not named validly. */
    public Optional<CrqView> known(String crqId) {
        if (crqId == null || !CrqId.isValid(crqId)) {
            return Optional.empty();
        }
        String id = CrqId.parse(crqId).toString();
        return QuarkusTransaction.requiringNew().call(() -> crqs.byId(id));
    }

    private Optional<CrqView> awaitKnown(String crqId) {
        long deadline = System.nanoTime() + config.crqWait().toNanos();
        while (true) {
            Optional<CrqView> crq = known(crqId);
            if (crq.isPresent() || System.nanoTime() - deadline >= 0) {
                return crq;
            }
            try {
                Thread.sleep(LOOK_AGAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
