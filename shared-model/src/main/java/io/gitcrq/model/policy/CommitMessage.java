package io.gitcrq.model.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A commit message taken apart the way {@code git interpret-trailers --no-divider} does: its content, the
 * trailer block ({@code Key: value} lines of the last paragraph) and, for a message file that git hands to a
 * {@code commit-msg} hook, the tail git will strip anyway (trailing comment lines, everything below the
 * scissors line). Keeping git's rules here means a trailer we add is one git itself reads as a trailer.
 */
public final class CommitMessage {

    /** One trailer; {@code key} as written (compare with {@link #hasKey}), {@code value} unfolded. */
    public record Trailer(String key, String value) {
        public boolean hasKey(String other) {
            return key.equalsIgnoreCase(other);
        }
    }

    // Lines git writes itself; a paragraph holding one is a trailer block if a quarter of its lines are trailers.
    private static final List<String> GIT_GENERATED_PREFIXES =
            List.of("Signed-off-by: ", "(cherry picked from commit ");
    private static final String SCISSORS = "------------------------ >8 ------------------------";

    private final String text;
    private final Character commentChar;
    private final int contentEnd; // text[0, contentEnd) is the message; the rest is ignored by git
    private final int trailerStart; // text[trailerStart, contentEnd) is the trailer block (empty if none)
    private final List<Trailer> trailers;

    private CommitMessage(String text, Character commentChar) {
        this.text = text == null ? "" : text.replace("\r\n", "\n");
        this.commentChar = commentChar;
        this.contentEnd = this.text.length() - ignoredTailLength();
        this.trailerStart = trailerBlockStart();
        this.trailers = parseTrailers();
    }

    /** A message as stored in a commit: every line is content. */
    public static CommitMessage of(String message) {
        return new CommitMessage(message, null);
    }

    /**
     * A message file as a {@code commit-msg} hook gets it: lines starting with {@code commentChar} (git's
     * {@code core.commentChar}, {@code '#'} by default) are comments, and a scissors line cuts off the rest.
     */
    public static CommitMessage ofMessageFile(String file, char commentChar) {
        return new CommitMessage(file, commentChar);
    }

    /** The whole text as given (comments and all). */
    public String text() {
        return text;
    }

    /** What git keeps of the message: comment lines and the ignored tail removed. */
    public String content() {
        String kept = text.substring(0, contentEnd);
        if (commentChar == null) {
            return kept;
        }
        StringBuilder out = new StringBuilder(kept.length());
        for (int[] bounds : lines(0, contentEnd)) {
            String line = line(bounds);
            if (!isComment(line)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** True when git would refuse the message as empty (nothing but whitespace and comments). */
    public boolean isEmpty() {
        return content().isBlank();
    }

    public String subject() {
        for (String line : content().split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    /** The trailers of the last paragraph, in order; empty when that paragraph is not a trailer block. */
    public List<Trailer> trailers() {
        return trailers;
    }

    /** The values of the trailers named {@code key} (any case), in order. */
    public List<String> trailerValues(String key) {
        return trailers.stream().filter(t -> t.hasKey(key)).map(Trailer::value).toList();
    }

    /**
     * The text with {@code key: value} appended as {@code git interpret-trailers --trailer} would: at the end
     * of the existing trailer block, or as a new paragraph after the message; comment lines and the scissors
     * part stay below it. Unchanged when the block already ends with that very trailer. Unlike git, a message
     * whose last line lacks its newline still gets the trailer as a paragraph of its own (git would glue it
     * to that line, where it is no trailer).
     */
    public String withTrailer(String key, String value) {
        if (!trailers.isEmpty()) {
            Trailer last = trailers.get(trailers.size() - 1);
            if (last.hasKey(key) && last.value().equals(value)) {
                return text;
            }
        }
        StringBuilder out = new StringBuilder(text.length() + key.length() + value.length() + 4);
        String before = text.substring(0, contentEnd);
        out.append(before);
        if (!before.isEmpty() && !before.endsWith("\n")) {
            out.append('\n');
        }
        if (trailerStart == contentEnd && !endsWithBlankLine(out)) {
            out.append('\n');
        }
        out.append(key).append(": ").append(value).append('\n');
        out.append(text, contentEnd, text.length());
        return out.toString();
    }

    private static boolean endsWithBlankLine(CharSequence s) {
        int n = s.length();
        return n == 0 || (n >= 2 && s.charAt(n - 1) == '\n' && s.charAt(n - 2) == '\n');
    }

    private boolean isComment(String line) {
        return commentChar != null && !line.isEmpty() && line.charAt(0) == commentChar;
    }

    /** Git's ignored_log_message_bytes: the scissors part plus the run of comment and blank lines before it. */
    private int ignoredTailLength() {
        int cutoff = text.length();
        if (commentChar != null) {
            int at = 0;
            while (at < text.length()) {
                int eol = lineEnd(at);
                String line = text.substring(at, eol);
                if (line.equals(commentChar + " " + SCISSORS)) {
                    cutoff = at;
                    break;
                }
                at = eol + 1;
            }
        }
        int runStart = -1;
        int at = 0;
        while (at < cutoff) {
            int eol = Math.min(lineEnd(at), cutoff);
            String line = text.substring(at, eol);
            if (line.isEmpty() || isComment(line)) {
                if (runStart < 0) {
                    runStart = at;
                }
            } else {
                runStart = -1;
            }
            at = eol + 1;
        }
        int keep = runStart >= 0 ? runStart : cutoff;
        return text.length() - keep;
    }

    /** Git's find_trailer_block_start over text[0, contentEnd); contentEnd when there is no trailer block. */
    private int trailerBlockStart() {
        List<int[]> lines = lines(0, contentEnd);
        // The first paragraph is the title and never holds trailers.
        int titleEnd = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            String line = line(lines.get(i));
            if (isComment(line)) {
                continue;
            }
            if (line.isBlank()) {
                titleEnd = i;
                break;
            }
        }
        int trailerLines = 0;
        int nonTrailerLines = 0;
        int possibleContinuations = 0;
        boolean recognizedPrefix = false;
        boolean onlySpaces = true;
        for (int i = lines.size() - 1; i >= titleEnd; i--) {
            String line = line(lines.get(i));
            if (isComment(line)) {
                nonTrailerLines += possibleContinuations;
                possibleContinuations = 0;
                continue;
            }
            if (line.isBlank()) {
                if (onlySpaces) {
                    continue;
                }
                nonTrailerLines += possibleContinuations;
                int start = i + 1 < lines.size() ? lines.get(i + 1)[0] : contentEnd;
                if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) {
                    return start;
                }
                if (trailerLines > 0 && nonTrailerLines == 0) {
                    return start;
                }
                return contentEnd;
            }
            onlySpaces = false;
            if (GIT_GENERATED_PREFIXES.stream().anyMatch(line::startsWith)) {
                trailerLines++;
                possibleContinuations = 0;
                recognizedPrefix = true;
            } else if (separatorAt(line) >= 1 && !Character.isWhitespace(line.charAt(0))) {
                trailerLines++;
                possibleContinuations = 0;
            } else if (Character.isWhitespace(line.charAt(0))) {
                possibleContinuations++;
            } else {
                nonTrailerLines += 1 + possibleContinuations;
                possibleContinuations = 0;
            }
        }
        return contentEnd;
    }

    private List<Trailer> parseTrailers() {
        List<Trailer> found = new ArrayList<>();
        String key = null;
        StringBuilder value = null;
        for (int[] bounds : lines(trailerStart, contentEnd)) {
            String line = line(bounds);
            if (isComment(line) || line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (value != null) { // a folded value goes on
                    value.append(' ').append(line.strip());
                }
                continue;
            }
            if (key != null) {
                found.add(new Trailer(key, value.toString()));
                key = null;
                value = null;
            }
            int separator = separatorAt(line);
            if (separator >= 1) {
                key = line.substring(0, separator).strip();
                value = new StringBuilder(line.substring(separator + 1).strip());
            }
        }
        if (key != null) {
            found.add(new Trailer(key, value.toString()));
        }
        return List.copyOf(found);
    }

    /** Git's find_separator: a ':' after a token of letters, digits and '-', optionally followed by blanks. */
    private static int separatorAt(String line) {
        boolean whitespaceFound = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!whitespaceFound && (isAsciiAlphanumeric(c) || c == '-')) {
                continue;
            }
            if (i != 0 && (c == ' ' || c == '\t')) {
                whitespaceFound = true;
                continue;
            }
            break;
        }
        return -1;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private int lineEnd(int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol;
    }

    private List<int[]> lines(int from, int to) {
        List<int[]> lines = new ArrayList<>();
        int at = from;
        while (at < to) {
            int eol = Math.min(lineEnd(at), to);
            lines.add(new int[] {at, eol});
            at = eol + 1;
        }
        return lines;
    }

    private String line(int[] bounds) {
        return text.substring(bounds[0], bounds[1]);
    }

    @Override
    public String toString() {
        return "CommitMessage[subject=" + subject() + ", trailers=" + trailers + "]";
    }
}
