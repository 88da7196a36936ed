package io.gitcrq.execagent;

import static org.awaitility.Awaitility.await;

import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.repository.CrqViewRepository;
import io.gitcrq.execagent.repository.WatchedRepoRepository;
import io.gitcrq.kafka.KafkaBrokerTestResource;
import io.gitcrq.kafka.TopicProbe;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.RepoWatched;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * CRQs as crq-service announces them: CrqCreated and CrqStatusChanged sent on the real CRQ topic as crq-service's
 * principal (the broker's ACLs apply), each call returning once the agent's view of the CRQs shows it. Commands run
 * only for CRQs the agent knows and that are open.
 */
@ApplicationScoped
public class TestCrqs {

    private static final Duration WAIT = Duration.ofMinutes(2);

    @Inject
    CrqViewRepository crqs;

    @Inject
    WatchedRepoRepository watchedRepos;

    private TopicProbe crqService;
    private TopicProbe gitWatcher;

    /**
     * Each CRQ created (a title of its own, in a repository that is no project of the test agent, so that a command
     * naming no directory runs in the default one) unless the agent knows it already.
     */
    public void open(String... crqIds) {
        for (String crqId : crqIds) {
            if (view(crqId).isEmpty()) {
                created(crqId, "Work on " + crqId, "elsewhere");
            }
        }
    }

    /** CrqCreated for {@code crqId} in {@code repo}, seen by the agent. */
    public void created(String crqId, String title, String repo) {
        announce(new CrqCreated(crqId, title, "Described.", "alice", repo, "main", Instant.now()));
        await().atMost(WAIT).until(() -> view(crqId).isPresent());
    }

    /** CrqCreated sent, not waited for: the agent sees it when its consumer gets there. */
    public void announce(DomainEvent event) {
        if (crqService == null) {
            crqService = KafkaBrokerTestResource.probe(TopicAccess.CRQ_SERVICE);
        }
        crqService.send(
                Topics.CRQ_EVENTS, event.partitionKey(), EventCodec.toJson(EventCodec.envelope("crq-service", event)));
    }

    /** The CRQ moved to {@code to} (as crq-service says it), seen by the agent. */
    public void moved(String crqId, String from, String to) {
        announce(new CrqStatusChanged(crqId, from, to, "crq-service", null, Instant.now()));
        await().atMost(WAIT)
                .until(() -> view(crqId).map(c -> c.status.equals(to)).orElse(false));
    }

    /** RepoWatched for {@code repo} at {@code location}, as git-watcher announces it, seen by the agent. */
    public void watched(String repo, Path location) {
        if (gitWatcher == null) {
            gitWatcher = KafkaBrokerTestResource.probe(TopicAccess.GIT_WATCHER);
        }
        RepoWatched event = new RepoWatched(repo, location.toString(), "main");
        gitWatcher.send(
                Topics.GIT_EVENTS, event.partitionKey(), EventCodec.toJson(EventCodec.envelope("git-watcher", event)));
        await().atMost(WAIT)
                .until(() -> QuarkusTransaction.requiringNew()
                        .call(() -> watchedRepos.location(repo))
                        .isPresent());
    }

    public Optional<CrqView> view(String crqId) {
        return QuarkusTransaction.requiringNew().call(() -> crqs.byId(crqId));
    }
}
