package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Objects;

/**
 * {@code file}: a file or directory created, modified, deleted or renamed under a watched directory. A regular
 * file's content is hashed ({@code size}, {@code sha256} over its first {@code hashedBytes} bytes,
 * {@code hashTruncated} when it is longer); {@code fileType} names what is not a regular file; {@code hashError}
 * says why it could not be read. {@code movedIn}/{@code movedOut}: moved into or out of the watched tree. {@code pid}:
 * the process that made the change, where the mechanism says ({@code fanotify}); the process source's records of the
 * same pid say what it ran.
 */
public record FileChange(
        String op,
        String path,
        boolean isDir,
        String mechanism,
        @JsonInclude(Include.NON_NULL) String from,
        @JsonInclude(Include.NON_NULL) Boolean movedIn,
        @JsonInclude(Include.NON_NULL) Boolean movedOut,
        @JsonInclude(Include.NON_NULL) String fileType,
        @JsonInclude(Include.NON_NULL) Long size,
        @JsonInclude(Include.NON_NULL) Boolean hashTruncated,
        @JsonInclude(Include.NON_NULL) String sha256,
        @JsonInclude(Include.NON_NULL) Long hashedBytes,
        @JsonInclude(Include.NON_NULL) String hashError,
        @JsonInclude(Include.NON_NULL) Long pid)
        implements AuditPayload {

    public static final String KIND = "file";
    public static final String CREATED = "created";
    public static final String MODIFIED = "modified";
    public static final String DELETED = "deleted";
    public static final String RENAMED = "renamed";

    public FileChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(path, "path");
    }

    /** A change with nothing known about the content yet. */
    public static FileChange of(String op, String path, boolean isDir, String mechanism) {
        return new FileChange(op, path, isDir, mechanism, null, null, null, null, null, null, null, null, null, null);
    }

    public FileChange renamedFrom(String from) {
        return with(from, movedIn, movedOut, pid);
    }

    public FileChange asMovedIn() {
        return with(from, true, movedOut, pid);
    }

    public FileChange asMovedOut() {
        return with(from, movedIn, true, pid);
    }

    /** Made by process {@code pid} (null: not known). */
    public FileChange byProcess(Long pid) {
        return with(from, movedIn, movedOut, pid);
    }

    /** This change with where it came from and who made it replaced, what is known of the content kept. */
    private FileChange with(String from, Boolean movedIn, Boolean movedOut, Long pid) {
        return new FileChange(
                op,
                path,
                isDir,
                mechanism,
                from,
                movedIn,
                movedOut,
                fileType,
                size,
                hashTruncated,
                sha256,
                hashedBytes,
                hashError,
                pid);
    }

    /** The entry is no regular file: {@code symlink} or {@code other}. */
    public FileChange ofType(String type) {
        return new FileChange(
                op, path, isDir, mechanism, from, movedIn, movedOut, type, null, null, null, null, null, pid);
    }

    /** What is known of the content: its size, then (when read) digest and bytes read, or why reading failed. */
    public FileChange content(Long size, Boolean truncated, String sha256, Long hashedBytes, String hashError) {
        return new FileChange(
                op,
                path,
                isDir,
                mechanism,
                from,
                movedIn,
                movedOut,
                fileType,
                size,
                truncated,
                sha256,
                hashedBytes,
                hashError,
                pid);
    }

    @Override
    public String kind() {
        return KIND;
    }
}
