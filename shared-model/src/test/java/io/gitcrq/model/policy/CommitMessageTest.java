package io.gitcrq.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CommitMessageTest {

    // Messages where "which paragraph is the trailer block" is easy to get wrong.
    private static final List<String> TRICKY = List.of(
            "subject only",
            "subject\n",
            "CRQ: CRQ-1\n", // one paragraph: a title, not trailers
            "subject\n\nbody line\n",
            "subject\n\nCRQ: CRQ-1\n",
            "subject\n\nbody\n\nCRQ: CRQ-1\nRefs: CRQ-2, CRQ-3\n",
            "subject\n\nbody\nCRQ: CRQ-1\n", // mixed paragraph: no trailer block
            "subject\n\nNote: this\nis prose\nnot trailers\n\n",
            "subject\n\nSigned-off-by: A <a@x>\nsome prose\nmore prose\n", // git-generated line, 25% rule
            "subject\n\nSee: https://x.test/a:b\n", // a URL value
            "subject\n\nKey with spaces: x\n", // not a token: not a trailer
            "subject\n\nCRQ : CRQ-4\n", // blank before the separator is allowed
            "subject\n\nRefs: CRQ-5,\n  CRQ-6\n", // folded value
            "subject\n\nCRQ: CRQ-1\n\n\n", // trailing blank lines
            "subject\n\nCRQ: CRQ-1\n# Please enter the commit message\n# On branch feature/CRQ-9-x\n",
            "subject\n\nbody\n# comment\n\n# ------------------------ >8 ------------------------\ndiff --git a b\n",
            "subject\n\nbody\n---\nCRQ: CRQ-7\n", // no divider: '---' is just a line
            "");

    @Test
    void findsTheTrailersGitFinds() throws Exception {
        for (String message : TRICKY) {
            String expected = git(message, "interpret-trailers", "--no-divider", "--parse");
            String ours = CommitMessage.ofMessageFile(message, '#').trailers().stream()
                    .map(t -> t.key() + ": " + t.value() + "\n")
                    .collect(Collectors.joining());
            assertThat(ours).as("trailers of %s", quote(message)).isEqualTo(expected);
        }
    }

    @Test
    void appendsTrailersWhereGitAppendsThem() throws Exception {
        for (String message : TRICKY) {
            if (message.isEmpty() || !message.endsWith("\n") || message.contains("CRQ : ")) {
                // Hooks never add to an empty message; no final newline: see below; and git re-prints the
                // existing trailers normalised ("CRQ : x" becomes "CRQ: x") where we leave the user's lines be.
                continue;
            }
            String expected = git(message, "interpret-trailers", "--no-divider", "--trailer", "CRQ: CRQ-12");
            assertThat(CommitMessage.ofMessageFile(message, '#').withTrailer("CRQ", "CRQ-12"))
                    .as("%s with a trailer", quote(message))
                    .isEqualTo(expected);
        }
    }

    @Test
    void aLastLineWithoutNewlineStillGetsAParagraphOfItsOwn() {
        CommitMessage message = CommitMessage.of("subject only");
        assertThat(message.withTrailer("CRQ", "CRQ-12")).isEqualTo("subject only\n\nCRQ: CRQ-12\n");
        assertThat(CommitMessage.of(message.withTrailer("CRQ", "CRQ-12")).trailerValues("crq"))
                .containsExactly("CRQ-12");
        assertThat(CommitMessage.of("s\n\nCRQ: CRQ-1").withTrailer("CRQ", "CRQ-2"))
                .isEqualTo("s\n\nCRQ: CRQ-1\nCRQ: CRQ-2\n");
    }

    @Test
    void doesNotRepeatTheLastTrailer() {
        String message = "subject\n\ncrq: CRQ-12\n";
        assertThat(CommitMessage.of(message).withTrailer("CRQ", "CRQ-12")).isEqualTo(message);
        assertThat(CommitMessage.of(message).withTrailer("CRQ", "CRQ-13")).isEqualTo(message + "CRQ: CRQ-13\n");
    }

    @Test
    void contentLeavesCommentsAndTheScissorsPartOut() {
        CommitMessage file = CommitMessage.ofMessageFile(
                "fix it\n# On branch feature/CRQ-9-x\n\n# ------------------------ >8 ------------------------\nCRQ-8\n",
                '#');
        assertThat(file.content()).isEqualTo("fix it\n");
        assertThat(file.subject()).isEqualTo("fix it");
        assertThat(CommitMessage.ofMessageFile("# only a comment\n\n", '#').isEmpty())
                .isTrue();
        // Stored messages have no comments: a '#' line is content.
        assertThat(CommitMessage.of("#12 fix\n").content()).isEqualTo("#12 fix\n");
        assertThat(CommitMessage.ofMessageFile("; CRQ-3 x\nfix\n", ';').content())
                .isEqualTo("fix\n");
    }

    @Test
    void trailerKeysMatchInAnyCase() {
        CommitMessage message = CommitMessage.of("s\n\ncrq: CRQ-1\nREFS: CRQ-2\nCrq: 3\n");
        assertThat(message.trailerValues("CRQ")).containsExactly("CRQ-1", "3");
        assertThat(message.trailerValues("refs")).containsExactly("CRQ-2");
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    /** Runs git with {@code input} on stdin in a scratch directory (interpret-trailers needs no repository). */
    static String git(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out;
        try (InputStream stdout = process.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor()).as("git %s", String.join(" ", args)).isZero();
        return out;
    }
}
