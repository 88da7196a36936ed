package io.gitcrq.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository as a server and a developer have it: a bare repository whose {@code main} holds one commit (what
 * the services watch and merge into), and a clone of it that commits and pushes.
 */
public final class TestRepository {

    private final TestGit git;
    private final Path bare;
    private final Path work;

    private TestRepository(TestGit git, Path bare, Path work) {
        this.git = git;
        this.bare = bare;
        this.work = work;
    }

    /** {@code root/name.git} and its clone {@code root/name-work}, committing as {@link TestGit#developer()}. */
    public static TestRepository create(Path root, String name) {
        return create(TestGit.developer(), root, name);
    }

    /** As {@link #create(Path, String)}, committing through {@code git} (e.g. as another user). */
    public static TestRepository create(TestGit git, Path root, String name) {
        Path bare = root.resolve(name + ".git");
        Path work = root.resolve(name + "-work");
        git.run(root, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        git.run(root, "clone", "--quiet", bare.toString(), work.toString());
        TestRepository repository = new TestRepository(git, bare, work);
        // The clone of an empty repository has no branch yet: start main explicitly.
        repository.git("symbolic-ref", "HEAD", "refs/heads/main");
        repository.commit("initial commit");
        repository.push("main");
        return repository;
    }

    public Path bare() {
        return bare;
    }

    public Path work() {
        return work;
    }

    /** git in the clone. */
    public String git(String... args) {
        return git.run(work, args);
    }

    /** git in the bare repository. */
    public String inBare(String... args) {
        return git.run(bare, args);
    }

    /** An empty commit on the clone's current branch; returns its id. */
    public String commit(String message) {
        git("commit", "--quiet", "--allow-empty", "-m", message);
        return git("rev-parse", "HEAD");
    }

    /** Writes {@code file} (relative to the clone) and commits it on the current branch; returns the commit id. */
    public String commitFile(String file, String content, String message) {
        Path path = work.resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git("add", file);
        git("commit", "--quiet", "-m", message);
        return git("rev-parse", "HEAD");
    }

    /** Pushes {@code branch} of the clone to the bare repository. */
    public void push(String branch) {
        git("push", "--quiet", "origin", branch);
    }

    /** The commit id {@code ref} (e.g. {@code refs/heads/main}) points at in the bare repository. */
    public String refInBare(String ref) {
        return inBare("rev-parse", ref);
    }
}
