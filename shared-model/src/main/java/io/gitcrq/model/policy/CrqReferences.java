package io.gitcrq.model.policy;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which CRQs a commit is linked to — the one linking rule for every gate (commit-msg and pre-receive hooks,
 * git-watcher, merge-bot). A commit names CRQs by subject prefixes ({@code CRQ-12: …}, {@code [CRQ-12] …}),
 * mentions in its body and trailers ({@code CRQ: CRQ-12, CRQ-13}, {@code Refs: CRQ-40}; in a {@code CRQ:}
 * trailer a bare number is enough). Ids match in any case. A commit naming none belongs to its branch's CRQ.
 */
public final class CrqReferences {

    /** The trailer gitcrq writes and reads: {@code CRQ: CRQ-12}. */
    public static final String TRAILER = "CRQ";

    // Word boundaries keep "XCRQ-1" and "CRQ-12a" from matching; digits must not run on.
    private static final Pattern REFERENCE =
            Pattern.compile("(?i)(?<![A-Za-z0-9_])CRQ-([1-9][0-9]{0,17})(?![0-9A-Za-z_])");
    private static final Pattern BARE_NUMBER = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern VALUE_SEPARATORS = Pattern.compile("[\\s,;]+");

    private CrqReferences() {}

    /** Every CRQ id in the text, in number order, each once, printed as {@code CRQ-<n>}. */
    public static List<String> in(String text) {
        TreeSet<CrqId> ids = new TreeSet<>();
        collect(text, ids);
        return ids.stream().map(CrqId::toString).toList();
    }

    /** Every CRQ the message names (comments of a message file excluded), in number order, each once. */
    public static List<String> in(CommitMessage message) {
        TreeSet<CrqId> ids = new TreeSet<>();
        collect(message.content(), ids);
        for (String value : message.trailerValues(TRAILER)) {
            for (String token : VALUE_SEPARATORS.split(value.strip())) {
                if (BARE_NUMBER.matcher(token).matches()) {
                    ids.add(new CrqId(Long.parseLong(token)));
                }
            }
        }
        return ids.stream().map(CrqId::toString).toList();
    }

    /**
     * The CRQs a commit is linked to: those its message names, or else the CRQ its branch names
     * (a commit on {@code feature/CRQ-12-x} that names nothing belongs to CRQ-12).
     */
    public static List<String> ofCommit(String message, String branchCrq) {
        if (!mentionsCrq(message)) {
            // Every way of naming a CRQ (an id, a CRQ: trailer) spells "crq": most unlinked commits stop here,
            // without taking the message apart (a history scan sees hundreds of thousands).
            return branchCrq == null ? List.of() : List.of(branchCrq);
        }
        return ofCommit(CommitMessage.of(message), branchCrq);
    }

    public static List<String> ofCommit(CommitMessage message, String branchCrq) {
        List<String> named = in(message);
        if (!named.isEmpty() || branchCrq == null) {
            return named;
        }
        return List.of(branchCrq);
    }

    private static boolean mentionsCrq(String text) {
        if (text == null) {
            return false;
        }
        for (int i = text.length() - 3; i >= 0; i--) {
            char c = text.charAt(i);
            if ((c == 'c' || c == 'C') && text.regionMatches(true, i, TRAILER, 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(String text, TreeSet<CrqId> ids) {
        if (text == null || text.isEmpty()) {
            return;
        }
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            ids.add(new CrqId(Long.parseLong(m.group(1))));
        }
    }
}
