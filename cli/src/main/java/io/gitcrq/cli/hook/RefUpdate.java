package io.gitcrq.cli.hook;

import io.gitcrq.cli.process.CliFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One ref a push changes, as git tells a hook on stdin ({@code pre-receive}: {@code <old> <new> <ref>};
 * {@code pre-push}: {@code <local ref> <local sha> <remote ref> <remote sha>}).
 *
 * @param ref the ref being updated on the receiving side ({@code refs/heads/feature/CRQ-1-x})
 */
record RefUpdate(String ref, String oldId, String newId) {

    static final String BRANCH_PREFIX = "refs/heads/";

    boolean deletes() {
        return newId.chars().allMatch(c -> c == '0');
    }

    boolean creates() {
        return oldId.chars().allMatch(c -> c == '0');
    }

    /** The branch name for a {@code refs/heads/} ref, else null (tags, notes, …). */
    String branch() {
        return ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : null;
    }

    static List<RefUpdate> readPreReceive(InputStream in) {
        List<RefUpdate> updates = new ArrayList<>();
        for (String[] f : fields(in, 3)) {
            updates.add(new RefUpdate(f[2], f[0], f[1]));
        }
        return updates;
    }

    static List<RefUpdate> readPrePush(InputStream in) {
        List<RefUpdate> updates = new ArrayList<>();
        for (String[] f : fields(in, 4)) {
            updates.add(new RefUpdate(f[2], f[3], f[1]));
        }
        return updates;
    }

    private static List<String[]> fields(InputStream in, int count) {
        List<String[]> lines = new ArrayList<>();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split(" ", count);
                if (f.length != count) {
                    throw new CliFailure(
                            CliFailure.USAGE,
                            "unexpected hook input line (expected " + count + " fields, as git writes them): " + line);
                }
                lines.add(f);
            }
        } catch (IOException e) {
            throw new CliFailure(CliFailure.FAILED, "cannot read the refs git passes on stdin: " + e.getMessage(), e);
        }
        return lines;
    }
}
