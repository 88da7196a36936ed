package io.gitcrq.mergebot.domain;

/** Where an approved CRQ stands in its target's merge queue. */
public enum QueueState {
    /** Just approved; not looked at yet. */
    QUEUED,
    /** Held until something it needs arrives (required checks); announced as MergeWaiting. */
    WAITING,
    /** Cannot be merged as it is (conflict, failed check, foreign commit…); announced as MergeBlocked, retried
     *  when its repository changes, since a push or a new check report may unblock it. */
    BLOCKED
}
