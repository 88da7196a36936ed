package io.gitcrq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gitcrq.model.api.crq.CrqView;
import io.gitcrq.model.event.EventCodec;
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

    /**
     * A service's answer as the services write it: their shared API record through Jackson with ISO instants and
     * null fields written (quarkus.jackson.write-dates-as-timestamps=false), which EventCodec's mapper also does.
     */
    public static String answer(Object body) {
        try {
            return EventCodec.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String crq(String id, String status, String repo, String target) {
        return answer(new CrqView(
                id,
                "Fix login timeout",
                "Sessions expire too early",
                "alice",
                "bob",
                repo,
                target,
                status,
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
            "webapp",
            "main",
            "APPROVED",
            "BLOCKED",
            null,
            "checks failed on feature/CRQ-7-login-timeout",
            null,
            Instant.parse("2025-03-01T09:00:00Z"),
            Instant.parse("2025-03-01T11:00:00Z"),
            new CrqView.Links(
                    List.of(new CrqView.BranchLink("webapp", "feature/CRQ-7-login-timeout")),
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
