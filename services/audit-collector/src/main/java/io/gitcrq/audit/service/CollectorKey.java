package io.gitcrq.audit.service;

import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.kit.signing.SigningKey;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.signature.Ed25519;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.security.PublicKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * audit-collector's own signing key ({@code gitcrq.audit.signing-key-file}, made on first start): it signs retention
 * checkpoints, so that verification tells a checkpoint retention left from one inserted or edited by hand. At start
 * it signs, once, the checkpoints made before checkpoints were signed.
 */
@ApplicationScoped
public class CollectorKey {

    private static final Logger LOG = Logger.getLogger(CollectorKey.class);

    private final SigningKey key;
    private final AuditChainRepository chains;

    public CollectorKey(
            @ConfigProperty(name = "gitcrq.audit.signing-key-file") Path file, AuditChainRepository chains) {
        this.key = new SigningKey(file);
        this.chains = chains;
    }

    void start(@Observes StartupEvent event) {
        LOG.infof(
                "audit-collector signs retention checkpoints with key %s (public key %s)",
                key.keyId(), key.publicKeyFile());
        int signed = QuarkusTransaction.requiringNew().call(() -> {
            int count = 0;
            for (AuditChainRepository.Checkpoint c : chains.legacyCheckpoints()) {
                chains.signLegacyCheckpoint(c.host(), c.sequence(), keyId(), sign(c));
                count++;
            }
            return count;
        });
        if (signed > 0) {
            LOG.infof("signed %d retention checkpoint(s) made before checkpoints were signed", signed);
        }
    }

    public String keyId() {
        return key.keyId();
    }

    public PublicKey publicKey() {
        return key.publicKey();
    }

    /** The signature of a checkpoint's signed form ({@link AuditSignature#checkpointCanonical}). */
    public String sign(AuditChainRepository.Checkpoint c) {
        return key.sign(canonical(c));
    }

    /** Whether the checkpoint carries this key's signature of what it says. */
    public boolean signed(AuditChainRepository.Checkpoint c) {
        return keyId().equals(c.signerKeyId()) && Ed25519.verify(publicKey(), canonical(c), c.signature());
    }

    private static String canonical(AuditChainRepository.Checkpoint c) {
        return AuditSignature.checkpointCanonical(
                c.host(), c.sequence(), c.hash(), c.hostSeq(), c.hostKeyId(), c.cutoff(), c.deleted());
    }
}
