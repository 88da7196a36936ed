package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.domain.RecordedViolation;
import java.time.Instant;

public record ViolationView(String repo, String ref, String commitId, String rule, String detail, Instant detectedAt) {

    public static ViolationView of(RecordedViolation v) {
        return new ViolationView(v.repo, v.ref, v.commitId, v.rule, v.detail, v.detectedAt);
    }
}
