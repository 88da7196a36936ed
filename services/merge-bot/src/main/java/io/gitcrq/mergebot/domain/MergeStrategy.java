package io.gitcrq.mergebot.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How an approved CRQ's branch lands on its target, and the history each way promises. */
public enum MergeStrategy {
    /** A merge commit on the target with two parents: the target's head first, the branch head second. */
    MERGE("merge"),
    /** The target moves to the branch head itself; refused when the branch does not contain the target's head. */
    FF_ONLY("ff-only"),
    /** One new commit on the target (one parent) with the branch's combined change, its message naming the CRQ. */
    SQUASH("squash"),
    /** The branch's commits replayed one by one on the target: new ids, same messages and authors, linear. */
    REBASE("rebase");

    private final String setting;

    MergeStrategy(String setting) {
        this.setting = setting;
    }

    /** The name in settings, the REST API and the database: merge, ff-only, squash, rebase. */
    public String setting() {
        return setting;
    }

    public static Optional<MergeStrategy> fromSetting(String value) {
        return Arrays.stream(values()).filter(s -> s.setting.equals(value)).findFirst();
    }

    public static String settings() {
        return Arrays.stream(values()).map(MergeStrategy::setting).collect(Collectors.joining(", "));
    }
}
