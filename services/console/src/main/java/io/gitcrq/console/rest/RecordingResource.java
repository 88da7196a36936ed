package io.gitcrq.console.rest;

import io.gitcrq.console.client.ExecAgentClient;
import io.gitcrq.console.service.ExecRecordings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * An exec's recording (asciicast v2), for the player of its page: read from its host's exec-agent with the caller's
 * own credentials, so a recording the caller may not read there is not read here either.
 */
@Path("/execs/{execId}/recording")
@RolesAllowed({"requester", "approver", "admin"})
public class RecordingResource {

    private final ExecRecordings recordings;

    public RecordingResource(ExecRecordings recordings) {
        this.recordings = recordings;
    }

    @GET
    @Produces(ExecAgentClient.ASCIICAST)
    public String recording(
            @PathParam("execId") String execId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return recordings.recording(execId, authorization);
    }
}
