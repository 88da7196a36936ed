package io.gitcrq.mergebot.domain;

public enum MergeOutcome {
    MERGED, BLOCKED
}
