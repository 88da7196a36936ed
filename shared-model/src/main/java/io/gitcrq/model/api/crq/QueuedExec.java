package io.gitcrq.model.api.crq;

import java.time.Instant;

/**
 * Answer of {@code POST /crqs/{id}/exec-requests} (202): the exec id the command will have on its host's exec-agent
 * ({@code GET /execs/{execId}} there), and until when the agent may start it ({@code grantExpiresAt}); a request
 * the agent refuses is recorded there as refused, with its reason.
 */
public record QueuedExec(
        String execId,
        String crqId,
        String host,
        String session,
        String pane,
        String requestedBy,
        Instant grantExpiresAt) {}
