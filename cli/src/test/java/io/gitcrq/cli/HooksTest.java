package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git hooks under the real {@code git}: {@code gitcrq hooks install} writes the scripts, git runs them (each
 * call starts a JVM on the CLI's classes), and the tests look at what git did: refused pushes, refs that
 * exist or not on the receiving side, commit messages as stored.
 * <p>
 * Every process (git, the CLI) runs with {@code HOME} in the test's temp directory, no system git config and no
 * inherited {@code GIT_*} variables, so the machine's own git settings (identity, {@code core.hooksPath}, ...)
 * cannot interfere. {@code hooks install} runs as a subprocess for the same reason: in-process, the git it
 * calls would read this machine's global config.
 */
class HooksTest {

    private static final String MARKER = "# gitcrq hook";

    /** The java binary and classpath that start the CLI from this build's classes. */
    private static List<String> java;
    /** The same as one sh command: what the hook scripts run. */
    private static String launcher;

    @TempDir
    Path tmp;

    private IsolatedGit isolated;

    @BeforeAll
    static void findTheCli() {
        java = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                cliClassPath(),
                GitcrqCli.class.getName());
        launcher = java.stream().map(IsolatedGit::shellQuote).collect(Collectors.joining(" "));
    }

    /**
     * The classpath to start the CLI with. Surefire may run the tests from a manifest-only booter jar, so
     * {@code java.class.path} alone is not to be trusted; {@code surefire.test.class.path} lists the real
     * entries. Entries that do not exist (a deleted booter jar, say) are dropped.
     */
    private static String cliClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && Files.exists(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @BeforeEach
    void isolateGit() throws IOException {
        isolated = new IsolatedGit(tmp);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. pre-receive on the server

    @Test
    void preReceiveRefusesBadNamesAndUnlinkedCommitsAndAcceptsAConformingBranch() throws IOException {
        Path server = bareRepository("server.git");
        IsolatedGit.Run install =
                gitcrq("hooks", "install", "--repo", server.toString(), "--server", "--launcher", launcher, "--no-cds");
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.out())
                .contains("installed " + server.resolve("hooks").resolve("pre-receive"));
        assertThat(server.resolve("hooks/pre-commit")).doesNotExist();

        Path work = isolated.repository("work");
        isolated.git(work, "remote", "add", "origin", server.toString());
        String initial = isolated.commit(work, "CRQ-1: initial import");
        // A linked commit onto an exempt branch is accepted.
        IsolatedGit.Run pushMain = isolated.git(work, "push", "origin", "main");
        assertThat(pushMain.exitCode()).as(pushMain.describe()).isZero();
        assertThat(ref(server, "main")).isEqualTo(initial);

        // A badly named branch is refused, whatever its commits say; the refusal says what to do.
        isolated.gitOk(work, "checkout", "-q", "-b", "wip/x");
        isolated.commit(work, "CRQ-12: try things");
        IsolatedGit.Run wip = isolated.git(work, "push", "origin", "wip/x");
        assertThat(wip.exitCode()).as(wip.describe()).isNotZero();
        assertThat(wip.err())
                .contains("pre-receive hook declined")
                .contains("push refused by gitcrq:")
                .contains("branch 'wip/x' does not follow <type>/CRQ-<n>-<slug>")
                .contains("git push <remote> wip/x:feature/CRQ-12-login-timeout");
        assertThat(ref(server, "wip/x")).isNull();

        // A conforming branch is accepted: one commit names its CRQ, the other names none and belongs to
        // the branch's CRQ.
        isolated.gitOk(work, "checkout", "-q", "-b", "feature/CRQ-12-login-timeout", "main");
        isolated.commit(work, "CRQ-12: raise the login timeout to 30 s");
        String tidy = isolated.commit(work, "tidy the session code");
        IsolatedGit.Run feature = isolated.git(work, "push", "origin", "feature/CRQ-12-login-timeout");
        assertThat(feature.exitCode()).as(feature.describe()).isZero();
        assertThat(ref(server, "feature/CRQ-12-login-timeout")).isEqualTo(tidy);

        // main is exempt from the naming rule, not from linking: requireLinkedCommits defaults to true, so a
        // commit naming no CRQ is refused there too, and main stays where it was.
        isolated.gitOk(work, "checkout", "-q", "main");
        String unlinked = isolated.commit(work, "tweak the readme");
        IsolatedGit.Run pushUnlinked = isolated.git(work, "push", "origin", "main");
        assertThat(pushUnlinked.exitCode()).as(pushUnlinked.describe()).isNotZero();
        assertThat(pushUnlinked.err())
                .contains("push refused by gitcrq:")
                .contains("commit " + unlinked.substring(0, 12) + " 'tweak the readme' (to refs/heads/main) is "
                        + "linked to no CRQ")
                .contains("git commit --amend");
        assertThat(ref(server, "main")).isEqualTo(initial);
        // ... and nothing of the refused push landed in the server's object store.
        assertThat(isolated.git(server, "cat-file", "-e", unlinked + "^{commit}")
                        .exitCode())
                .isNotZero();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. commit-msg in a clone

    @Test
    void commitMsgAddsTheBranchsCrqAsATrailerAndLeavesANamedCrqAlone() throws IOException {
        Path work = isolated.repository("work");
        installClientHooks(work);

        // main is exempt: an unlinked commit may be made there (the server still refuses it on push).
        isolated.commit(work, "initial import");
        assertThat(isolated.message(work)).isEqualTo("initial import\n");

        isolated.gitOk(work, "checkout", "-q", "-b", "feature/CRQ-12-x");
        IsolatedGit.Run linked = isolated.git(work, "commit", "-q", "--allow-empty", "-m", "raise timeout");
        assertThat(linked.exitCode()).as(linked.describe()).isZero();
        assertThat(linked.err()).contains("gitcrq: linked to CRQ-12 (trailer 'CRQ: CRQ-12' added)");
        assertThat(isolated.message(work)).isEqualTo("raise timeout\n\nCRQ: CRQ-12\n");
        // git itself reads the added line as a trailer.
        assertThat(isolated.gitOk(work, "log", "-1", "--format=%(trailers:key=CRQ,valueonly)")
                        .strip())
                .isEqualTo("CRQ-12");

        IsolatedGit.Run named =
                isolated.git(work, "commit", "-q", "--allow-empty", "-m", "CRQ-7: fix the typo on the login page");
        assertThat(named.exitCode()).as(named.describe()).isZero();
        assertThat(named.err()).doesNotContain("linked to");
        assertThat(isolated.message(work)).isEqualTo("CRQ-7: fix the typo on the login page\n");

        // No CRQ in the message and none in the (non-exempt) branch name: refused, nothing committed.
        isolated.gitOk(work, "checkout", "-q", "-b", "scratch");
        String before = isolated.gitOk(work, "rev-parse", "HEAD").strip();
        IsolatedGit.Run refused = isolated.git(work, "commit", "-q", "--allow-empty", "-m", "random change");
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.err())
                .contains("commit refused: its message names no CRQ and branch 'scratch' names none.")
                .contains("'CRQ-12: random change'");
        assertThat(isolated.gitOk(work, "rev-parse", "HEAD").strip()).isEqualTo(before);
    }

    @Test
    void commitMsgReadsTheBranchOfALinkedWorkTree() throws IOException {
        Path work = isolated.repository("work");
        installClientHooks(work);
        isolated.commit(work, "initial import");
        // A linked work tree: its .git is a file naming the tree's own git directory, where its HEAD is.
        Path linkedTree = work.resolveSibling("work-crq-21");
        isolated.gitOk(work, "worktree", "add", "-q", "-b", "feature/CRQ-21-cache", linkedTree.toString());

        IsolatedGit.Run linked = isolated.git(linkedTree, "commit", "-q", "--allow-empty", "-m", "cache sessions");
        assertThat(linked.exitCode()).as(linked.describe()).isZero();
        assertThat(isolated.message(linkedTree)).isEqualTo("cache sessions\n\nCRQ: CRQ-21\n");
        // ...while the main work tree's HEAD stays on main, which may take it unlinked.
        isolated.commit(work, "tidy up");
        assertThat(isolated.message(work)).isEqualTo("tidy up\n");
    }

    @Test
    void commitMsgLinksACommitRewordedWhileRebasingItsBranch() throws IOException {
        Path work = isolated.repository("work");
        isolated.commit(work, "initial import");
        isolated.gitOk(work, "checkout", "-q", "-b", "feature/CRQ-12-x");
        Files.writeString(work.resolve("timeout.txt"), "30\n");
        isolated.gitOk(work, "add", "timeout.txt");
        isolated.commit(work, "raise timeout"); // made before the hooks were installed: linked to nothing
        installClientHooks(work);

        // HEAD is detached while git rebases, but the reworded commit goes onto feature/CRQ-12-x.
        IsolatedGit.Run rebase = isolated.git(
                work,
                "-c",
                "sequence.editor=sed -i -e 's/^pick/reword/'",
                "-c",
                "core.editor=sed -i -e '1s/.*/raise the timeout to 30 s/'",
                "rebase",
                "-i",
                "main");

        assertThat(rebase.exitCode()).as(rebase.describe()).isZero();
        assertThat(isolated.gitOk(work, "symbolic-ref", "--short", "HEAD").strip())
                .isEqualTo("feature/CRQ-12-x");
        assertThat(isolated.message(work)).isEqualTo("raise the timeout to 30 s\n\nCRQ: CRQ-12\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. pre-push in a clone

    @Test
    void prePushRefusesABadlyNamedBranchAndLetsItGoUnderAConformingName() throws IOException {
        Path server = bareRepository("server.git"); // no server hook: what stops the push is the client's
        Path work = isolated.repository("work");
        isolated.git(work, "remote", "add", "origin", server.toString());
        installClientHooks(work);

        isolated.gitOk(work, "checkout", "-q", "-b", "wip/foo");
        String spike = isolated.commit(work, "CRQ-3: spike the new cache");
        IsolatedGit.Run refused = isolated.git(work, "push", "origin", "wip/foo");
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.err())
                .contains("push refused by gitcrq's branch naming rule:")
                .contains("branch 'wip/foo' does not follow <type>/CRQ-<n>-<slug>")
                .contains("git push origin HEAD:feature/CRQ-12-login-timeout");
        assertThat(ref(server, "wip/foo")).isNull();
        assertThat(isolated.git(server, "cat-file", "-e", spike + "^{commit}").exitCode())
                .isNotZero();

        // The hook judges the name the branch gets on the remote, so the fix it suggests goes through.
        IsolatedGit.Run renamed = isolated.git(work, "push", "origin", "wip/foo:refs/heads/feature/CRQ-3-cache");
        assertThat(renamed.exitCode()).as(renamed.describe()).isZero();
        assertThat(ref(server, "feature/CRQ-3-cache")).isEqualTo(spike);
        assertThat(ref(server, "wip/foo")).isNull();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. installing

    @Test
    void installKeepsAForeignHookUnlessForcedAndReplacesItsOwn() throws IOException {
        Path work = isolated.repository("work");
        Path hooks = work.resolve(".git/hooks");
        Files.createDirectories(hooks);
        String foreign = "#!/bin/sh\necho someone else's hook\n";
        Files.writeString(hooks.resolve("commit-msg"), foreign);

        IsolatedGit.Run refused = install(work);
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.err())
                .contains("not overwriting hooks gitcrq did not write: " + hooks.resolve("commit-msg"))
                .contains("--force");
        assertThat(Files.readString(hooks.resolve("commit-msg"))).isEqualTo(foreign);
        assertThat(hooks.resolve("pre-push")).as("nothing is half-installed").doesNotExist();

        IsolatedGit.Run forced = install(work, "--force");
        assertThat(forced.exitCode()).as(forced.describe()).isZero();
        assertThat(forced.out())
                .contains("installed " + hooks.resolve("commit-msg"))
                .contains("installed " + hooks.resolve("pre-push"));
        for (String name : List.of("commit-msg", "pre-push")) {
            Path script = hooks.resolve(name);
            assertThat(Files.readString(script))
                    .startsWith("#!/bin/sh\n")
                    .contains(MARKER)
                    .endsWith("exec " + launcher + " hook " + name + " \"$@\"\n");
            assertThat(Files.isExecutable(script)).isTrue();
        }

        // Our own hooks are replaced without --force (an update).
        IsolatedGit.Run again = install(work);
        assertThat(again.exitCode()).as(again.describe()).isZero();
    }

    @Test
    void installRespectsCoreHooksPath() throws IOException {
        Path work = isolated.repository("work");
        isolated.gitOk(work, "config", "core.hooksPath", ".githooks");

        IsolatedGit.Run installed = install(work);

        assertThat(installed.exitCode()).as(installed.describe()).isZero();
        assertThat(work.resolve(".githooks/commit-msg")).isRegularFile();
        assertThat(work.resolve(".githooks/pre-push")).isRegularFile();
        assertThat(work.resolve(".git/hooks/commit-msg")).doesNotExist();
    }

    @Test
    void installRefusesTheWrongKindOfRepository() throws IOException {
        Path work = isolated.repository("work");
        IsolatedGit.Run server = install(work, "--server");
        assertThat(server.exitCode()).as(server.describe()).isEqualTo(2);
        assertThat(server.err())
                .contains("error: " + work + " is not a bare repository: --server installs "
                        + "pre-receive where pushes are received");
        assertThat(work.resolve(".git/hooks/pre-receive")).doesNotExist();

        Path bare = bareRepository("server.git");
        IsolatedGit.Run client = install(bare);
        assertThat(client.exitCode()).as(client.describe()).isEqualTo(2);
        assertThat(client.err())
                .contains("error: " + bare + " is a bare repository: nobody commits in it; use " + "--server");
        assertThat(bare.resolve("hooks/commit-msg")).doesNotExist();

        Path plain = Files.createDirectories(tmp.resolve("plain"));
        IsolatedGit.Run none = install(plain);
        assertThat(none.exitCode()).as(none.describe()).isEqualTo(2);
        assertThat(none.err()).contains("error: " + plain + " is not a git repository");
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private void installClientHooks(Path repository) {
        IsolatedGit.Run installed = install(repository);
        assertThat(installed.exitCode()).as(installed.describe()).isZero();
    }

    private IsolatedGit.Run install(Path repository, String... options) {
        List<String> args = new ArrayList<>(
                List.of("hooks", "install", "--repo", repository.toString(), "--launcher", launcher, "--no-cds"));
        args.addAll(List.of(options));
        return gitcrq(args.toArray(String[]::new));
    }

    private IsolatedGit.Run gitcrq(String... args) {
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of(args));
        return isolated.run(tmp, command);
    }

    private Path bareRepository(String name) {
        Path directory = tmp.resolve(name);
        isolated.gitOk(tmp, "init", "-q", "--bare", "-b", "main", directory.toString());
        return directory;
    }

    /** The commit a branch points at, or null when there is no such branch. */
    private String ref(Path repository, String branch) {
        IsolatedGit.Run result = isolated.git(repository, "rev-parse", "-q", "--verify", "refs/heads/" + branch);
        return result.exitCode() == 0 ? result.out().strip() : null;
    }
}
