package io.gitcrq.model.chain;

import io.gitcrq.model.signature.Ed25519;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The fixed key pair of the test vectors in docs/guide/verify-audit-offline.md: a key for tests and documents only,
 * never one to trust. Ed25519 signatures are deterministic, so what it signs is fixed too.
 */
public final class AuditTestVectors {

    public static final String PRIVATE_KEY_PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEII7xfcTbmpSF9ihOgAVMzNVjNixrThoiZglIw7Y0pbcj\n"
            + "-----END PRIVATE KEY-----\n";

    public static final String PUBLIC_KEY_PEM = "-----BEGIN PUBLIC KEY-----\n"
            + "MCowBQYDK2VwAyEA+V9FwmueebhkKQ4FYHXChzqOk5osqQyNgkBZXmFbnAo=\n"
            + "-----END PUBLIC KEY-----\n";

    private AuditTestVectors() {}

    public static PrivateKey privateKey() {
        return Ed25519.parsePrivateKey(PRIVATE_KEY_PEM);
    }

    public static PublicKey publicKey() {
        return Ed25519.parsePublicKey(PUBLIC_KEY_PEM);
    }

    public static String keyId() {
        return Ed25519.fingerprint(publicKey());
    }
}
