package io.gitcrq.mergebot.service;

import io.gitcrq.kit.git.MirrorFetch;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.kit.policy.RepoPolicies;
import io.gitcrq.kit.secret.SecretRedactor;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * A merge into a remote repository: merge-bot fetches its branches into a bare mirror of its own, merges
 * there, and pushes the target with the head it merged on as the expected old value, so a push racing with
 * the merge is never overwritten. Credentials go to the transport only; every message that leaves this class
 * is passed through {@link SecretRedactor} first.
 */
public record RemoteLanding(
        String url,
        Path mirror,
        CredentialsProvider credentials,
        SecretRedactor redactor,
        int timeoutSeconds,
        Duration staleRefLockAfter)
        implements Landing {

    @Override
    public File prepare() throws IOException {
        new MirrorFetch(mirror, credentials, redactor, timeoutSeconds, staleRefLockAfter, staleRefLockAfter).from(url);
        return mirror.toFile();
    }

    /** The remote's git config is out of reach (the mirror's is merge-bot's own): the service-wide policy. */
    @Override
    public EffectivePolicy policy(String repoName, Repository repo, RepoPolicies policies) {
        return policies.ofService();
    }

    @Override
    public MoveResult moveTarget(
            Repository repo,
            RevWalk walk,
            String target,
            ObjectId expectedOld,
            ObjectId newHead,
            PersonIdent bot,
            String why)
            throws IOException {
        RemoteRefUpdate.Status status = push(repo, Constants.R_HEADS + target, newHead, expectedOld);
        return switch (status) {
            case OK, UP_TO_DATE -> {
                // The mirror follows at once, so that the next CRQ of the queue merges on top of this one.
                LocalLanding.MoveResult local =
                        inMirror().moveTarget(repo, walk, target, expectedOld, newHead, bot, why);
                yield local.move() == Move.MOVED ? local : MoveResult.of(Move.MOVED);
            }
            case REJECTED_REMOTE_CHANGED, REJECTED_NONFASTFORWARD -> MoveResult.of(Move.TARGET_MOVED);
            default -> new MoveResult(Move.FAILED, "the push to " + redactor.redact(url) + " was refused: " + status);
        };
    }

    @Override
    public String deleteBranch(Repository repo, RevWalk walk, String branch, ObjectId mergedHead) throws IOException {
        RemoteRefUpdate.Status status = push(repo, Constants.R_HEADS + branch, ObjectId.zeroId(), mergedHead);
        if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.NON_EXISTING) {
            return "kept branch " + branch + " (" + status + "): it moved after the merge or cannot be deleted";
        }
        inMirror().deleteBranch(repo, walk, branch, mergedHead);
        return "deleted branch " + branch;
    }

    /** The same ref updates in the mirror, once the remote took them: waiting out a held ref lock there too. */
    private LocalLanding inMirror() {
        return new LocalLanding(mirror.toFile(), staleRefLockAfter);
    }

    private RemoteRefUpdate.Status push(Repository repo, String ref, ObjectId newId, ObjectId expectedOld)
            throws IOException {
        try (Transport transport = Transport.open(repo, new URIish(url))) {
            transport.setCredentialsProvider(credentials);
            transport.setTimeout(timeoutSeconds);
            String source = ObjectId.zeroId().equals(newId) ? null : newId.name();
            RemoteRefUpdate update = new RemoteRefUpdate(repo, source, newId, ref, false, null, expectedOld);
            PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            RemoteRefUpdate done = result.getRemoteUpdate(ref);
            return done == null ? RemoteRefUpdate.Status.REJECTED_OTHER_REASON : done.getStatus();
        } catch (URISyntaxException | org.eclipse.jgit.errors.TransportException e) {
            throw new IOException("cannot push to " + redactor.redact(url) + ": " + redactor.redact(e.getMessage()));
        }
    }
}
