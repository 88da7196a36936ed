package io.gitcrq.execagent.audit;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.kit.signing.SigningKeyFile;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.security.KeyPair;
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
    private final SigningKeyFile file;
    private volatile KeyPair keys;
    private volatile String keyId;

    public HostKey(ExecAgentConfig config, @ConfigProperty(name = "gitcrq.audit.host-key-file") Path file) {
        this.host = config.host();
        this.file = new SigningKeyFile(file);
    }

    /** A key that cannot be read or made stops the start: an agent must not publish audit events nobody can trust. */
    void load(@Observes StartupEvent event) {
        keys();
        LOG.infof(
                "audit host key of %s: %s (public key %s; register it: gitcrq audit hosts register --host %s"
                        + " --key-file %s)",
                host, keyId, file.publicKeyFile(), host, file.publicKeyFile());
    }

    private KeyPair keys() {
        KeyPair loaded = keys;
        if (loaded == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = file.loadOrCreate();
                    keyId = Ed25519.fingerprint(keys.getPublic());
                }
                loaded = keys;
            }
        }
        return loaded;
    }

    public String host() {
        return host;
    }

    public String keyId() {
        keys();
        return keyId;
    }

    public String publicKeyPem() {
        return Ed25519.publicKeyPem(keys().getPublic());
    }

    PrivateKey privateKey() {
        return keys().getPrivate();
    }
}
