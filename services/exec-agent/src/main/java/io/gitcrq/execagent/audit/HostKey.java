package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.kit.signing.SigningKey;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This host's audit signing key ({@code gitcrq.audit.host-key-file}): made on first start, loaded once. Its public
 * half is what an admin registers with audit-collector for this host; the private half never leaves the file.
 */
@ApplicationScoped
public class HostKey {

    private static final Logger LOG = Logger.getLogger(HostKey.class);

    private final String host;
    private final SigningKey key;

    public HostKey(ExecAgentConfig config, @ConfigProperty(name = "gitcrq.audit.host-key-file") Path file) {
        this.host = config.host();
        this.key = new SigningKey(file);
    }

    /** A key that cannot be read or made stops the start: an agent must not publish audit events nobody can trust. */
    void load(@Observes StartupEvent event) {
        LOG.infof(
                "audit host key of %s: %s (public key %s; register it: gitcrq audit hosts register --host %s"
                        + " --key-file %s)",
                host, key.keyId(), key.publicKeyFile(), host, key.publicKeyFile());
    }

    public String host() {
        return host;
    }

    public String keyId() {
        return key.keyId();
    }

    public String publicKeyPem() {
        return Ed25519.publicKeyPem(key.publicKey());
    }

    PrivateKey privateKey() {
        return key.privateKey();
    }
}
