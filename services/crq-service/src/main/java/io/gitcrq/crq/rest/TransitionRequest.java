package io.gitcrq.crq.rest;

import jakarta.validation.constraints.Size;

/** Optional body of submit, approve, reject and cancel: why. */
public record TransitionRequest(@Size(max = 2000) String reason) {
    public static String reasonOf(TransitionRequest request) {
        return request == null ? null : request.reason();
    }
}
