package io.gitcrq.console.domain;

import java.util.List;

/** One repo:target's merge queue: its CRQs in approval order, the next action, and recent merges. */
public record MergeQueueView(
        String repo, String targetBranch, List<QueueEntry> entries, String nextAction, List<MergedEntry> recent) {

    public String key() {
        return repo + ":" + targetBranch;
    }
}
