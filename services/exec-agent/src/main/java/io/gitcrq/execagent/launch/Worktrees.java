package io.gitcrq.execagent.launch;

import io.gitcrq.execagent.config.ExecAgentConfig;
import io.gitcrq.execagent.process.ProgramRun;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A git worktree per project and CRQ ({@code <worktrees-dir>/<project>/<CRQ-n>}), on the CRQ's branch: made the
 * first time (the branch too, from the project's HEAD, when it does not exist yet), reused after. Runs the real
 * {@code git} (JGit cannot add worktrees), with an argument list, never a shell line.
 */
@ApplicationScoped
public class Worktrees {

    private static final long TIMEOUT_SECONDS = 60;
    private final Path root;

    @Inject
    public Worktrees(ExecAgentConfig config) {
        this(config.worktreesDirectory());
    }

    Worktrees(Path root) {
        this.root = root;
    }

    /** The CRQ's worktree of {@code repository} on {@code branch}; 409 where git refuses (branch checked out elsewhere…). */
    public synchronized Path checkout(String project, Path repository, String crqId, String branch) {
        if (!Files.isDirectory(repository)) {
            throw new InvalidRequestException("project " + project + ": " + repository + " is not a directory");
        }
        if (git(repository, List.of("rev-parse", "--git-dir")).exitCode() != 0) {
            throw new InvalidRequestException("project " + project + ": " + repository + " is not a git repository");
        }
        if (git(repository, List.of("check-ref-format", "--branch", branch)).exitCode() != 0) {
            throw new InvalidRequestException("'" + branch + "' is not a valid branch name");
        }
        Path worktree = root.resolve(project).resolve(crqId);
        if (Files.isDirectory(worktree.resolve(".git")) || Files.isRegularFile(worktree.resolve(".git"))) {
            ProgramRun head = git(worktree, List.of("symbolic-ref", "--quiet", "--short", "HEAD"));
            if (head.exitCode() != 0 || !head.stdout().trim().equals(branch)) {
                throw new ConflictException("the worktree of " + crqId + " (" + worktree + ") is on "
                        + (head.exitCode() == 0 ? "branch " + head.stdout().trim() : "a detached HEAD") + ", not "
                        + branch);
            }
            return worktree;
        }
        try {
            Files.createDirectories(worktree.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + worktree.getParent() + ": " + e.getMessage(), e);
        }
        boolean exists = git(repository, List.of("rev-parse", "--verify", "--quiet", "refs/heads/" + branch))
                        .exitCode()
                == 0;
        List<String> add = exists
                ? List.of("worktree", "add", "--quiet", worktree.toString(), branch)
                : List.of("worktree", "add", "--quiet", "-b", branch, worktree.toString(), "HEAD");
        ProgramRun added = git(repository, add);
        if (added.exitCode() != 0) {
            throw new ConflictException("cannot check out " + branch + " for " + crqId + " in " + worktree + ": "
                    + added.stderr().trim());
        }
        return worktree;
    }

    /** Whether git tracks {@code path} (relative to the worktree) there: a file a launch must not write into. */
    public boolean tracked(Path worktree, String path) {
        return git(worktree, List.of("ls-files", "--error-unmatch", "--", path)).exitCode() == 0;
    }

    /** Keeps {@code fileName} out of git in every worktree of the repository (its shared {@code info/exclude}). */
    public void exclude(Path worktree, String fileName) {
        ProgramRun common = git(worktree, List.of("rev-parse", "--path-format=absolute", "--git-common-dir"));
        if (common.exitCode() != 0) {
            throw new IllegalStateException("cannot find the git directory of " + worktree + ": "
                    + common.stderr().trim());
        }
        Path exclude = Path.of(common.stdout().trim()).resolve("info").resolve("exclude");
        String pattern = "/" + fileName;
        try {
            Files.createDirectories(exclude.getParent());
            String present = Files.exists(exclude) ? Files.readString(exclude, StandardCharsets.UTF_8) : "";
            if (!present.lines().toList().contains(pattern)) {
                String text = (present.isEmpty() || present.endsWith("\n") ? "" : "\n")
                        + "# written by gitcrq exec-agent launches (context, tool settings)\n" + pattern + "\n";
                Files.writeString(
                        exclude, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + exclude + ": " + e.getMessage(), e);
        }
    }

    private static ProgramRun git(Path directory, List<String> args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(args);
        try {
            return ProgramRun.run(command, Map.of("GIT_TERMINAL_PROMPT", "0"), TIMEOUT_SECONDS);
        } catch (ProgramRun.Failure e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
