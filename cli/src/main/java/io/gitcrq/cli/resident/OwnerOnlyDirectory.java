package io.gitcrq.cli.resident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The directory of a resident process (the resident CLI, the hook runner): one that only its user may enter, where its
 * socket or address file, lock and log live.
 */
public final class OwnerOnlyDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyDirectory() {}

    /**
     * The owner of {@code dir}, which must be a directory (not a link) of this process's user, closed to others;
     * an {@link IllegalStateException} saying what is wrong otherwise.
     */
    public static UserPrincipal checkedOwner(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(dir + " is not a directory");
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = dir.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!owner.equals(me)) {
            throw new IllegalStateException(dir + " belongs to " + owner.getName() + ", not to " + me.getName());
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            throw new IllegalStateException(dir + " must be closed to other users (chmod 700)");
        }
        return owner;
    }
}
