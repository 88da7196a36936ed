package io.gitcrq.audit.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.audit.domain.RegisteredKey;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.HostKeyRepository;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.audit.GovernanceChange;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.signature.Ed25519;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.PublicKey;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The registry of host keys: which Ed25519 keys a host's audit events must be signed with. Registering and revoking
 * are governance records of audit-collector's own trail (who, the host's keys before and after). Registering a key
 * chains what was held for it, in hostSeq order, each event's signature checked first.
 */
@ApplicationScoped
public class HostKeys {

    private static final Logger LOG = Logger.getLogger(HostKeys.class);
    private static final int MAX_HOST_LENGTH = 253;

    /** A registered key and how many held events its registration chained. */
    public record Registered(RegisteredKey key, AuditTrail.Outcome released) {}

    private final HostKeyRepository keys;
    private final AuditChainRepository chains;
    private final AuditTrail trail;
    private final GovernanceTrail governance;

    public HostKeys(HostKeyRepository keys, AuditChainRepository chains, AuditTrail trail, GovernanceTrail governance) {
        this.keys = keys;
        this.chains = chains;
        this.trail = trail;
        this.governance = governance;
    }

    @Transactional
    public List<RegisteredKey> all() {
        return keys.all();
    }

    /** Events waiting for a key, per host. */
    @Transactional
    public java.util.Map<String, Long> held() {
        java.util.Map<String, Long> held = new java.util.TreeMap<>();
        keys.heldByHost().forEach(r -> held.put((String) r[0], ((Number) r[1]).longValue()));
        return held;
    }

    /** How many events were refused in all, and the latest of them. */
    public record Rejections(long total, List<HostKeyRepository.Rejection> latest) {}

    @Transactional
    public Rejections rejections(int limit) {
        return new Rejections(keys.rejectionCount(), keys.latestRejections(limit));
    }

    @Transactional
    public Registered register(String host, String publicKeyText, String registeredBy) {
        requireHost(host);
        PublicKey key;
        try {
            key = Ed25519.parsePublicKey(publicKeyText);
        } catch (Ed25519.InvalidKeyTextException e) {
            throw new InvalidRequestException(
                    "publicKey is not an Ed25519 public key (PEM or base64 DER): " + e.getMessage());
        }
        String fingerprint = Ed25519.fingerprint(key);
        chains.lockHost(host);
        List<RegisteredKey> before = keys.ofHost(host);
        before.stream()
                .filter(k -> k.fingerprint().equals(fingerprint))
                .findFirst()
                .ifPresent(k -> {
                    throw new ConflictException("key " + fingerprint + " is " + (k.revoked() ? "revoked" : "registered")
                            + " for host " + host + " already"
                            + (k.revoked() ? ": a revoked key is not registered again" : ""));
                });
        keys.insert(host, fingerprint, Ed25519.publicKeyPem(key), registeredBy);
        List<RegisteredKey> after = keys.ofHost(host);
        AuditTrail.Outcome released = trail.decideAndStore(keys.release(host, fingerprint).stream()
                .map(held -> trail.toStore(held.envelope()))
                .toList());
        governance.recordChange(GovernanceTrail.HOST_KEYS, registeredBy, keysOf(host, before), keysOf(host, after));
        LOG.infof(
                "%s registered audit key %s for host %s (%d held event(s) chained, %d refused)",
                registeredBy,
                fingerprint,
                host,
                released.chained(),
                released.refused().size());
        return new Registered(keys.find(host, fingerprint).orElseThrow(), released);
    }

    @Transactional
    public RegisteredKey revoke(String host, String fingerprint, String revokedBy) {
        chains.lockHost(host);
        List<RegisteredKey> before = keys.ofHost(host);
        RegisteredKey key = before.stream()
                .filter(k -> k.fingerprint().equals(fingerprint))
                .findFirst()
                .orElseThrow(
                        () -> new EntityNotFoundException("no key " + fingerprint + " registered for host " + host));
        if (key.revoked()) {
            throw new ConflictException("key " + fingerprint + " of host " + host + " is revoked already");
        }
        keys.revoke(host, fingerprint, revokedBy);
        governance.recordChange(
                GovernanceTrail.HOST_KEYS, revokedBy, keysOf(host, before), keysOf(host, keys.ofHost(host)));
        LOG.infof("%s revoked audit key %s of host %s", revokedBy, fingerprint, host);
        return keys.find(host, fingerprint).orElseThrow();
    }

    private static void requireHost(String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidRequestException("host is required: the host whose audit events the key signs");
        }
        if (host.length() > MAX_HOST_LENGTH || !host.strip().equals(host)) {
            throw new InvalidRequestException(
                    "host must be a host name (at most " + MAX_HOST_LENGTH + " characters, no surrounding spaces)");
        }
        if (host.startsWith(GovernanceChange.chainOf(""))) {
            throw new InvalidRequestException(
                    "host names starting with " + GovernanceChange.chainOf("") + " are audit-collector's own chains");
        }
    }

    /** A host's keys in force, as a governance record shows them: {host, keys: [fingerprint, ...]}. */
    private static ObjectNode keysOf(String host, List<RegisteredKey> keys) {
        ObjectNode node = EventCodec.mapper().createObjectNode().put("host", host);
        ArrayNode inForce = node.putArray("keys");
        keys.stream().filter(k -> !k.revoked()).forEach(k -> inForce.add(k.fingerprint()));
        return node;
    }
}
