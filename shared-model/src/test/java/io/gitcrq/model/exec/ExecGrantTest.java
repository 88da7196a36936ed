package io.gitcrq.model.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.ExecRequested;
import io.gitcrq.model.exec.ExecGrantVerifier.Refusal;
import io.gitcrq.model.exec.ExecGrantVerifier.Verdict;
import io.gitcrq.model.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecGrantTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final KeyPair keys = Ed25519.generate();
    private final ExecGrantSigner signer = new ExecGrantSigner("crq-service", keys, Duration.ofMinutes(5), CLOCK);
    private final ExecGrantVerifier verifier = new ExecGrantVerifier(List.of(keys.getPublic()), SKEW, CLOCK);

    private final ExecRequested request = new ExecRequested(
            "x-1",
            "dev1",
            "s",
            "p",
            "make test",
            "CRQ-7",
            "feature/CRQ-7-a",
            "/src",
            "alice",
            List.of("file"),
            null,
            null);

    private Verdict verify(String token, ExecRequested req) {
        return verifier.verify(token, req, "dev1");
    }

    @Test
    void aGrantVerifiesForItsRequestAndNamesItsUserRolesAndHost() {
        String token = signer.sign(request, Set.of("requester"));

        Verdict verdict = verify(token, request.withGrant(token));

        assertThat(verdict.verified()).isTrue();
        assertThat(verdict.grant().subject()).isEqualTo("alice");
        assertThat(verdict.grant().audience()).isEqualTo("dev1");
        assertThat(verdict.grant().roles()).containsExactly("requester");
        assertThat(verdict.grant().issuer()).isEqualTo("crq-service");
        assertThat(verdict.grant().expiresAt()).isEqualTo(NOW.plusSeconds(300));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header)
                .contains(
                        "\"alg\":\"EdDSA\"",
                        "\"typ\":\"gitcrq-exec-grant+jwt\"",
                        Ed25519.fingerprint(keys.getPublic()));
    }

    @Test
    void noGrantOrNoJwsIsRefused() {
        assertThat(verify(null, request).refusal()).isEqualTo(Refusal.MISSING);
        assertThat(verify("a.b", request).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(verify("!!.??.--", request).refusal()).isEqualTo(Refusal.MALFORMED);
    }

    @Test
    void aGrantOfAnUntrustedKeyOrWithAnotherSignatureIsRefused() {
        KeyPair forger = Ed25519.generate();
        String forged =
                new ExecGrantSigner("crq-service", forger, Duration.ofMinutes(5), CLOCK).sign(request, Set.of("admin"));
        assertThat(verify(forged, request).refusal()).isEqualTo(Refusal.UNTRUSTED_KEY);

        // The trusted key's id on a forger's signature: the claims were changed after signing.
        String token = signer.sign(request, Set.of("requester"));
        String[] parts = token.split("\\.");
        String otherClaims = forged.split("\\.")[1];
        assertThat(verify(parts[0] + "." + otherClaims + "." + parts[2], request)
                        .refusal())
                .isEqualTo(Refusal.BAD_SIGNATURE);
    }

    @Test
    void aGrantIsValidOnlyFromItsIssueToItsExpiryGiveOrTakeTheClockSkew() {
        ExecGrant fresh = claims(NOW.minusSeconds(100), NOW.plusSeconds(200));
        assertThat(verify(signer.sign(fresh), request).verified()).isTrue();

        Verdict expired = verify(signer.sign(claims(NOW.minusSeconds(400), NOW.minusSeconds(31))), request);
        assertThat(expired.refusal()).isEqualTo(Refusal.EXPIRED);
        assertThat(expired.reason()).contains("expired at 2026-12-02T09:59:29Z");
        assertThat(verify(signer.sign(claims(NOW.minusSeconds(400), NOW.minusSeconds(29))), request)
                        .verified())
                .isTrue();

        assertThat(verify(signer.sign(claims(NOW.plusSeconds(31), NOW.plusSeconds(300))), request)
                        .refusal())
                .isEqualTo(Refusal.NOT_YET_VALID);
    }

    @Test
    void aGrantIsForItsHostExecUserAndCrqOnly() {
        String token = signer.sign(request, Set.of("requester"));

        Verdict otherHost = verifier.verify(token, request, "dev2");
        assertThat(otherHost.refusal()).isEqualTo(Refusal.OTHER_HOST);
        assertThat(otherHost.reason()).contains("for host dev1, not dev2");
        assertThat(verify(token, copy(request, "x-2", "alice", "CRQ-7")).refusal())
                .isEqualTo(Refusal.EXEC_ID_MISMATCH);
        Verdict otherUser = verify(token, copy(request, "x-1", "mallory", "CRQ-7"));
        assertThat(otherUser.refusal()).isEqualTo(Refusal.USER_MISMATCH);
        assertThat(otherUser.reason()).contains("for user alice, not mallory");
        assertThat(verify(token, copy(request, "x-1", "alice", "CRQ-8")).refusal())
                .isEqualTo(Refusal.CRQ_MISMATCH);
    }

    @Test
    void everyFieldThatDecidesWhatRunsIsInTheDigest() {
        String token = signer.sign(request, Set.of("requester"));
        List<ExecRequested> swapped = List.of(
                other("s2", "p", "make test", "/src", "feature/CRQ-7-a", List.of("file"), null),
                other("s", "p2", "make test", "/src", "feature/CRQ-7-a", List.of("file"), null),
                other("s", "p", "rm -rf /", "/src", "feature/CRQ-7-a", List.of("file"), null),
                other("s", "p", "make test", "/", "feature/CRQ-7-a", List.of("file"), null),
                other("s", "p", "make test", "/src", null, List.of("file"), null),
                other("s", "p", "make test", "/src", "feature/CRQ-7-a", null, null),
                other("s", "p", "make test", "/src", "feature/CRQ-7-a", List.of(), null),
                other("s", "p", "make test", "/src", "feature/CRQ-7-a", List.of("file"), List.of("/etc")));
        for (ExecRequested other : swapped) {
            Verdict verdict = verify(token, other);
            assertThat(verdict.refusal()).as(other.toString()).isEqualTo(Refusal.DIGEST_MISMATCH);
        }
        assertThat(ExecGrant.digest(request)).startsWith("sha256:").hasSize(7 + 64);
    }

    @Test
    void severalTrustedKeysLetASigningKeyBeRotatedAndNoKeyTrustsNothing() {
        KeyPair next = Ed25519.generate();
        ExecGrantVerifier both = new ExecGrantVerifier(List.of(keys.getPublic(), next.getPublic()), SKEW, CLOCK);
        String byNext = new ExecGrantSigner("crq-service", next, Duration.ofMinutes(5), CLOCK).sign(request, Set.of());
        assertThat(both.verify(byNext, request, "dev1").verified()).isTrue();
        assertThat(both.verify(signer.sign(request, Set.of()), request, "dev1").verified())
                .isTrue();

        ExecGrantVerifier none = new ExecGrantVerifier(List.of(), SKEW, CLOCK);
        assertThat(none.trustsNoKey()).isTrue();
        assertThat(none.verify(byNext, request, "dev1").refusal()).isEqualTo(Refusal.UNTRUSTED_KEY);
    }

    @Test
    void aRefusalNeverHoldsTheTokenNorDoesTheRequestsText() {
        String token = signer.sign(request, Set.of("requester"));
        Verdict refused = verifier.verify(token, request, "dev2");
        assertThat(refused.reason()).doesNotContain(token.split("\\.")[2]).doesNotContain(token.split("\\.")[1]);
        assertThat(request.withGrant(token).toString()).doesNotContain(token).contains("grant=present");
    }

    private ExecGrant claims(Instant issuedAt, Instant expiresAt) {
        return new ExecGrant(
                "crq-service",
                "alice",
                "dev1",
                Set.of("requester"),
                "x-1",
                "CRQ-7",
                ExecGrant.digest(request),
                issuedAt,
                expiresAt);
    }

    private static ExecRequested other(
            String session,
            String pane,
            String command,
            String cwd,
            String branch,
            List<String> audit,
            List<String> auditPaths) {
        return new ExecRequested(
                "x-1", "dev1", session, pane, command, "CRQ-7", branch, cwd, "alice", audit, auditPaths, null);
    }

    private static ExecRequested copy(ExecRequested r, String execId, String user, String crq) {
        return new ExecRequested(
                execId,
                r.host(),
                r.session(),
                r.pane(),
                r.command(),
                crq,
                r.branch(),
                r.cwd(),
                user,
                r.audit(),
                r.auditPaths(),
                null);
    }
}
