package io.gitcrq.execagent.service;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.exec.ExecGrantVerifier;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The proof a request arriving by Kafka must carry: an exec grant signed by a key in
 * {@code gitcrq.exec.grant.trusted-keys}, for this host, this very request and its user, naming an allowed role.
 * Anyone who may write the topic could otherwise have any command run as anyone.
 */
@ApplicationScoped
public class ExecGrants {

    private static final Logger LOG = Logger.getLogger(ExecGrants.class);

    private final ExecGrantVerifier verifier;
    private final ExecPermissions permissions;
    private final String host;
    private final List<String> keyIds = new ArrayList<>();

    public ExecGrants(ExecAgentConfig config, ExecPermissions permissions) {
        List<PublicKey> keys = new ArrayList<>();
        for (String file : config.grant().trustedKeys().orElse(List.of())) {
            PublicKey key = read(Path.of(file));
            keys.add(key);
            keyIds.add(Ed25519.fingerprint(key));
        }
        this.verifier = new ExecGrantVerifier(keys, config.grant().clockSkew(), Clock.systemUTC());
        this.permissions = permissions;
        this.host = config.host();
    }

    void onStart(@Observes StartupEvent event) {
        if (verifier.trustsNoKey()) {
            LOG.warn("no exec grant signer is trusted (gitcrq.exec.grant.trusted-keys): every exec request arriving"
                    + " by Kafka will be refused");
        } else {
            LOG.infof("exec requests arriving by Kafka run with a grant signed by one of %s", keyIds);
        }
    }

    /** Null when {@code request} may run here; else why not (never the grant itself). */
    public String refusal(ExecRequested request) {
        ExecGrantVerifier.Verdict verdict = verifier.verify(request.grant(), request, host);
        if (!verdict.verified()) {
            return verdict.reason();
        }
        if (!permissions.allows(verdict.grant().roles())) {
            return permissions.refusal(request.requestedBy());
        }
        return null;
    }

    private static PublicKey read(Path file) {
        try {
            return Ed25519.parsePublicKey(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted exec grant key " + file, e);
        } catch (Ed25519.InvalidKeyTextException e) {
            throw new IllegalStateException(file + " (gitcrq.exec.grant.trusted-keys): " + e.getMessage(), e);
        }
    }
}
