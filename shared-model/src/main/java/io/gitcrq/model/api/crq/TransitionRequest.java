package io.gitcrq.model.api.crq;

import java.util.List;

/** Optional body of submit, approve, reject and cancel: why. */
public record TransitionRequest(String reason) {

    public static final int MAX_REASON = 2000;

    public static String reasonOf(TransitionRequest request) {
        return request == null ? null : request.reason();
    }

    /** What is wrong with the request ("field problem"); empty when it may be applied. */
    public List<String> problems() {
        return reason != null && reason.length() > MAX_REASON
                ? List.of("reason size must be between 0 and " + MAX_REASON)
                : List.of();
    }
}
