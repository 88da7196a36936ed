package io.gitcrq.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Service responses shaped like the real ones. */
public final class Fixtures {

    private Fixtures() {}

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String crq(String id, String status, String repo, String target) {
        return """
                {"id":"%s","title":"Fix login timeout","description":"Sessions expire too early",
                 "requester":"alice","approver":"bob","repo":"%s","targetBranch":"%s","status":"%s",
                 "createdAt":"2025-03-01T09:00:00.123456Z","updatedAt":"2025-03-01T10:00:00Z",
                 "blockedReason":null,"mergeCommit":null,
                 "links":{"branches":[],"commits":[]},
                 "history":[{"from":null,"to":"DRAFT","actor":"alice","reason":null,"at":"2025-03-01T09:00:00Z"}]}
                """.formatted(id, repo, target, status);
    }

    /** A CRQ with links, a history of two steps and a blocked reason. */
    public static final String DETAILED_CRQ = """
            {"id":"CRQ-7","title":"Fix login timeout","description":"Sessions expire too early",
             "requester":"alice","approver":"bob","repo":"webapp","targetBranch":"main","status":"APPROVED",
             "createdAt":"2025-03-01T09:00:00Z","updatedAt":"2025-03-01T11:00:00Z",
             "blockedReason":"checks failed on feature/CRQ-7-login-timeout","mergeCommit":null,
             "links":{"branches":[{"repo":"webapp","branch":"feature/CRQ-7-login-timeout"}],
                      "commits":[{"repo":"webapp","branch":"feature/CRQ-7-login-timeout",
                                  "commitId":"0123456789abcdef0123456789abcdef01234567",
                                  "message":"CRQ-7: raise session timeout\\n\\nBody text here"}]},
             "history":[{"from":null,"to":"DRAFT","actor":"alice","reason":null,"at":"2025-03-01T09:00:00Z"},
                        {"from":"DRAFT","to":"SUBMITTED","actor":"alice","reason":"ready","at":"2025-03-01T10:00:00.5Z"},
                        {"from":"SUBMITTED","to":"APPROVED","actor":"bob","reason":"looks good","at":"2025-03-01T11:00:00Z"}]}
            """;
}
