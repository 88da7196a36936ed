package io.gitcrq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcrq.model.api.ApiJson;
import io.gitcrq.model.api.crq.CrqView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Service responses shaped like the real ones. */
public final class Fixtures {

    private Fixtures() {}

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** service-kit has Quarkus refuse unknown fields in a request body: so does {@link #sent}. */
    private static final ObjectMapper SERVICE_READER =
            ApiJson.mapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A service's answer as the services write it: their shared API record with the services' JSON settings
     * (ApiJson: ISO instants, null fields written), so the CLI is tested against the wire form it really meets.
     */
    public static String answer(Object body) {
        try {
            return ApiJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The body of a request the CLI sent, read as the service reads it (failing on a field it does not know). */
    public static <T> T sent(FakeService.Request request, Class<T> type) {
        try {
            return SERVICE_READER.readValue(request.body(), type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the service would refuse what the CLI sent: " + request.body(), e);
        }
    }

    public static String crq(String id, String status, String repo, String target) {
        return answer(new CrqView(
                id,
                "Fix login timeout",
                "Sessions expire too early",
                "alice",
                "bob",
                null,
                repo,
                target,
                status,
                null,
                null,
                null,
                null,
                null,
                Instant.parse("2025-03-01T09:00:00.123456Z"),
                Instant.parse("2025-03-01T10:00:00Z"),
                new CrqView.Links(List.of(), List.of()),
                List.of(new CrqView.Transition(null, "DRAFT", "alice", null, Instant.parse("2025-03-01T09:00:00Z")))));
    }

    /** A CRQ with links, a history of two steps and a blocked reason. */
    public static final String DETAILED_CRQ = answer(new CrqView(
            "CRQ-7",
            "Fix login timeout",
            "Sessions expire too early",
            "alice",
            "bob",
            "0123456789abcdef0123456789abcdef01234567",
            "webapp",
            "main",
            "APPROVED",
            "BLOCKED",
            null,
            "checks failed on feature/CRQ-7-login-timeout",
            null,
            null,
            Instant.parse("2025-03-01T09:00:00Z"),
            Instant.parse("2025-03-01T11:00:00Z"),
            new CrqView.Links(
                    List.of(new CrqView.BranchLink(
                            "webapp", "feature/CRQ-7-login-timeout", "0123456789abcdef0123456789abcdef01234567")),
                    List.of(new CrqView.CommitLink(
                            "webapp",
                            "feature/CRQ-7-login-timeout",
                            "0123456789abcdef0123456789abcdef01234567",
                            "CRQ-7: raise session timeout\n\nBody text here",
                            Instant.parse("2025-03-01T10:30:00Z")))),
            List.of(
                    new CrqView.Transition(null, "DRAFT", "alice", null, Instant.parse("2025-03-01T09:00:00Z")),
                    new CrqView.Transition(
                            "DRAFT", "SUBMITTED", "alice", "ready", Instant.parse("2025-03-01T10:00:00.5Z")),
                    new CrqView.Transition(
                            "SUBMITTED", "APPROVED", "bob", "looks good", Instant.parse("2025-03-01T11:00:00Z")))));
}
