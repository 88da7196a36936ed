package io.gitcrq.audit.domain;

import io.gitcrq.model.chain.MerkleTree;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Batch statements whose host signature verified already, by key id, statement and signature: a host signs a batch
 * once and each of its events carries that signature, so the batch costs one Ed25519 verification, not one per
 * event. Only a verified triple is kept (a failure is checked again), and the key id names one public key, so a hit
 * says exactly what verifying again would. Whether the key is the host's and not revoked is checked before, every
 * time ({@link SignatureCheck}). Bounded: the oldest entries go first.
 */
public final class VerifiedStatements {

    private final Set<String> verified;
    /** Audit path nodes hashed before: a batch's events share their upper nodes (a pure function, not a trust). */
    private final MerkleTree.Memo nodes = new MerkleTree.Memo(8192);

    public VerifiedStatements(int capacity) {
        this.verified = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    /** The node hashes of audit paths computed before, for {@code AuditSignature#statement}. */
    public MerkleTree.Memo nodes() {
        return nodes;
    }

    /** Whether this key's signature of this statement verified before. */
    public boolean contains(String keyId, String statement, String signature) {
        return verified.contains(key(keyId, statement, signature));
    }

    public void add(String keyId, String statement, String signature) {
        verified.add(key(keyId, statement, signature));
    }

    private static String key(String keyId, String statement, String signature) {
        // None of the three holds a newline (a fingerprint, canonical JSON, base64).
        return keyId + "\n" + statement + "\n" + signature;
    }
}
