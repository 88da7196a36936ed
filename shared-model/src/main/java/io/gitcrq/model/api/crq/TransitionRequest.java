package io.gitcrq.model.api.crq;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Optional body of submit, approve, reject and cancel: why. An approval may also name the commit the approver
 * reviewed ({@code commit}, a full id or a prefix of at least 7 hex digits): when the CRQ's branch has moved on
 * from it, the approval is refused (409) instead of approving a commit nobody reviewed. The other moves ignore it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // a body names only what it says: {"reason": …} as it always was
public record TransitionRequest(String reason, String commit) {

    public static final int MAX_REASON = 2000;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");

    /** A reason only, as every move but an approval takes it. */
    public TransitionRequest(String reason) {
        this(reason, null);
    }

    public static String reasonOf(TransitionRequest request) {
        return request == null ? null : request.reason();
    }

    public static String commitOf(TransitionRequest request) {
        return request == null ? null : request.commit();
    }

    /** What is wrong with the request ("field problem"), sorted; empty when it may be applied. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            problems.add("commit must be a commit id: 7 to 64 hex digits");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            problems.add("reason size must be between 0 and " + MAX_REASON);
        }
        problems.sort(null);
        return problems;
    }
}
