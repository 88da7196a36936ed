package io.gitcrq.execagent.workflow;

import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * A workflow file as one commit of a Git repository on the agent's host holds it: read when the run starts, so the
 * run is of that commit's file whatever the work tree holds or the branch becomes later.
 *
 * @param repo     the repository (a work tree, or a bare repository)
 * @param ref      the ref asked for, e.g. {@code feature/CRQ-12-x} or {@code HEAD}
 * @param fullRef  the ref's full name ({@code refs/heads/feature/CRQ-12-x}; a symbolic ref's target), or null when
 *                 {@code ref} is no ref (a commit id, {@code HEAD~1})
 * @param commitId the commit {@code ref} named
 * @param file     the file's path in the repository, as {@code /}-separated relative path
 * @param text     the file's content
 * @param workTree the repository's work tree, or null for a bare repository
 */
public record CommittedWorkflow(
        Path repo, String ref, String fullRef, String commitId, String file, String text, Path workTree) {

    /** Git's name for the file in the commit, as {@code git show} takes it: {@code <ref>:<file>}. */
    public String source() {
        return ref + ":" + file;
    }

    /**
     * Reads {@code file} at {@code ref} (null: {@code HEAD}) of the repository {@code repo}. 400 when a value is no
     * good (a relative or non-repository {@code repo}, a {@code file} leaving the repository, a directory, too long);
     * 404 when the ref or the file is not there.
     */
    public static CommittedWorkflow read(String repo, String ref, String file, int maxBytes) {
        Path dir = absoluteDirectory(repo);
        String path = pathInRepository(file);
        String rev = ref == null || ref.isBlank() ? Constants.HEAD : ref.strip();
        try (Repository repository = open(dir);
                RevWalk walk = new RevWalk(repository)) {
            ObjectId id;
            try {
                id = repository.resolve(rev + "^{commit}");
            } catch (RevisionSyntaxException | AmbiguousObjectException | IncorrectObjectTypeException e) {
                throw new InvalidRequestException(
                        "ref '" + rev + "' does not name a commit of " + dir + ": " + e.getMessage());
            }
            if (id == null) {
                throw new EntityNotFoundException("no ref '" + rev + "' in repository " + dir);
            }
            RevCommit commit = walk.parseCommit(id);
            String text;
            try (TreeWalk entry = TreeWalk.forPath(repository, path, commit.getTree())) {
                if (entry == null) {
                    throw new EntityNotFoundException(
                            "no file " + path + " at " + rev + " (commit " + id.name() + ") of " + dir);
                }
                FileMode mode = entry.getFileMode(0);
                if (!FileMode.REGULAR_FILE.equals(mode) && !FileMode.EXECUTABLE_FILE.equals(mode)) {
                    throw new InvalidRequestException(path + " at " + rev + " of " + dir + " is not a file (a "
                            + (FileMode.TREE.equals(mode)
                                    ? "directory"
                                    : FileMode.SYMLINK.equals(mode) ? "symbolic link" : "submodule")
                            + ")");
                }
                ObjectLoader blob = repository.open(entry.getObjectId(0), Constants.OBJ_BLOB);
                if (blob.getSize() > maxBytes) {
                    throw new InvalidRequestException(
                            path + " at " + rev + " of " + dir + " is longer than " + maxBytes + " bytes");
                }
                text = new String(blob.getCachedBytes(), StandardCharsets.UTF_8);
            }
            Ref named = repository.findRef(rev);
            String fullRef = named == null ? null : named.getTarget().getName();
            Path workTree =
                    repository.isBare() ? null : repository.getWorkTree().toPath();
            return new CommittedWorkflow(dir, rev, fullRef, id.name(), path, text, workTree);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + path + " at " + rev + " of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path absoluteDirectory(String repo) {
        Path dir;
        try {
            dir = Path.of(repo);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("repo is not a path: " + repo);
        }
        if (!dir.isAbsolute()) {
            throw new InvalidRequestException("repo must be an absolute path on the agent's host, not '" + repo + "'");
        }
        dir = dir.normalize();
        if (!Files.isDirectory(dir)) {
            throw new InvalidRequestException("repo " + dir + " is not a directory");
        }
        return dir;
    }

    /** The file as a path inside the repository: relative, and not leaving it ({@code ../}). */
    private static String pathInRepository(String file) {
        Path path;
        try {
            path = Path.of(file.strip());
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("file is not a path: " + file);
        }
        Path normal = path.normalize();
        if (path.isAbsolute() || normal.startsWith("..") || normal.toString().isEmpty()) {
            throw new InvalidRequestException("file must be a path inside the repository (relative, no '../' out "
                    + "of it), not '" + file + "'");
        }
        return normal.toString().replace('\\', '/');
    }

    /**
     * A bare repository where it is named, or the repository of the work tree named (its {@code .git} a directory,
     * or a file as in {@code git worktree}s); never one further up.
     */
    private static Repository open(Path dir) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        if (dir.toFile().equals(RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED))) {
            builder.setGitDir(dir.toFile());
        } else if (Files.exists(dir.resolve(Constants.DOT_GIT))) {
            builder.setWorkTree(dir.toFile());
        } else {
            throw new InvalidRequestException("repo " + dir + " is not a Git repository");
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw new InvalidRequestException("repo " + dir + " is not a Git repository: " + e.getMessage());
        }
    }
}
