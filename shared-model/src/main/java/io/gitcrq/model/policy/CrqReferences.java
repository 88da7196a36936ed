package io.gitcrq.model.policy;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CRQs a commit message refers to: subject prefixes ({@code CRQ-12: …}, {@code [CRQ-12] …}),
 * mentions in the body and trailers ({@code CRQ: CRQ-12}). Keys match in any case.
 */
public final class CrqReferences {

    // Word boundaries keep "XCRQ-1" and "CRQ-12a" from matching; digits must not run on.
    private static final Pattern REFERENCE = Pattern.compile("(?i)(?<![A-Za-z0-9_])CRQ-([1-9][0-9]{0,17})(?![0-9A-Za-z_])");

    private CrqReferences() {
    }

    /** Every CRQ id in the text, in number order, each once, printed as {@code CRQ-<n>}. */
    public static List<String> in(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        TreeSet<CrqId> ids = new TreeSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            ids.add(new CrqId(Long.parseLong(m.group(1))));
        }
        return ids.stream().map(CrqId::toString).toList();
    }

    /**
     * The CRQs a commit is linked to: those its message names, or else the CRQ its branch names
     * (a commit on {@code feature/CRQ-12-x} that names nothing belongs to CRQ-12).
     */
    public static List<String> ofCommit(String message, String branchCrq) {
        List<String> named = in(message);
        if (!named.isEmpty() || branchCrq == null) {
            return named;
        }
        return List.of(branchCrq);
    }
}
