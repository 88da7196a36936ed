package io.gitcrq.console.domain;

import java.util.List;

/** A CRQ's place in the merge of its repository's target, as merge-bot's events tell it. */
public final class MergeState {
    public static final String QUEUED = "QUEUED";
    public static final String WAITING = "WAITING";
    public static final String BLOCKED = "BLOCKED";
    public static final String MERGED = "MERGED";

    /** The states of a CRQ still in its queue. */
    public static final List<String> IN_QUEUE = List.of(QUEUED, WAITING, BLOCKED);

    private MergeState() {}
}
