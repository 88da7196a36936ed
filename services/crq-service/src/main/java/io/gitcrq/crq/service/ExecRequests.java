package io.gitcrq.crq.service;

import io.gitcrq.crq.config.ExecGrantConfig;
import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.kit.signing.SigningKeyFile;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.exec.ExecGrant;
import io.gitcrq.model.exec.ExecGrantSigner;
import io.gitcrq.model.policy.CrqId;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Commands people ask to have run on a host, for a CRQ, through Kafka: crq-service knows who they are (it
 * authenticates them) and which CRQs are open, so it vouches for each request with a signed, short-lived exec grant
 * that the host's exec-agent verifies before it runs anything. The key pair is made on first start.
 */
@ApplicationScoped
@Startup
public class ExecRequests {

    private static final Logger LOG = Logger.getLogger(ExecRequests.class);

    private final CrqLifecycle lifecycle;
    private final Outbox outbox;
    private final Set<String> allowedRoles;
    private final ExecGrantSigner signer;

    /** A request on its way: its exec id and until when its grant is valid. */
    public record Queued(ExecRequested request, Instant grantExpiresAt) {}

    public ExecRequests(CrqLifecycle lifecycle, Outbox outbox, ExecGrantConfig config) {
        this.lifecycle = lifecycle;
        this.outbox = outbox;
        this.allowedRoles = Set.copyOf(config.allowedRoles());
        SigningKeyFile keyFile = new SigningKeyFile(Path.of(config.grant().signingKeyFile()));
        this.signer = new ExecGrantSigner(
                TopicAccess.CRQ_SERVICE, keyFile.loadOrCreate(), config.grant().ttl(), Clock.systemUTC());
        LOG.infof(
                "exec grants are signed with key %s (%s; exec-agents trust %s)",
                signer.keyId(), keyFile.privateKeyFile(), keyFile.publicKeyFile());
    }

    /**
     * Publishes, in the same transaction, a request to run {@code command} for CRQ {@code id} by {@code user}, who
     * holds {@code roles}: refused unless one of them may run commands and the CRQ is open.
     */
    @Transactional
    public Queued request(
            CrqId id,
            String user,
            Set<String> roles,
            String host,
            String session,
            String pane,
            String command,
            String cwd,
            String branch,
            List<String> audit,
            List<String> auditPaths) {
        if (roles.stream().noneMatch(allowedRoles::contains)) {
            throw new NotPermittedException(
                    user + " holds none of the roles that may run commands " + new TreeSet<>(allowedRoles));
        }
        ChangeRequest crq = lifecycle.find(id);
        if (!crq.status.isOpen()) {
            throw new ConflictException(id + " is " + crq.status + ": no commands run for it any more");
        }
        ExecRequested request = new ExecRequested(
                UUID.randomUUID().toString(),
                host,
                session,
                pane,
                command,
                id.toString(),
                branch,
                cwd,
                user,
                audit,
                auditPaths,
                null);
        ExecGrant grant = signer.grant(request, roles);
        ExecRequested granted = request.withGrant(signer.sign(grant));
        outbox.publish(granted);
        return new Queued(granted, grant.expiresAt());
    }
}
