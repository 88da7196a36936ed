package io.gitcrq.kit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** Each kind of domain refusal becomes the status and title the services answered with before they had kinds. */
class DomainErrorMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void everyKindHasItsStatusTitleAndDetail() {
        assertProblem(new EntityNotFoundException("no CRQ-7"), 404, "Not Found", "no CRQ-7");
        assertProblem(new ConflictException("CRQ-7 is DRAFT"), 409, "Conflict", "CRQ-7 is DRAFT");
        assertProblem(new NotPermittedException("own CRQ"), 403, "Forbidden", "own CRQ");
        assertProblem(new InvalidRequestException("title is blank"), 400, "Bad Request", "title is blank");
        assertProblem(new NotAuthenticatedException("bad signature"), 401, "Unauthorized", "bad signature");
        assertProblem(new UpstreamUnavailableException("cannot read demo"), 502, "Bad Gateway", "cannot read demo");
    }

    @Test
    void aKindWithoutAStatusIsOurBugNotTheCallers() {
        DomainException unmapped = new DomainException("new kind") {};
        assertThat(ProblemMappers.statusOf(unmapped)).isEqualTo(500);
    }

    @Test
    void aLostDatabaseConnectionIsA503ToLookAtAndSendAgainNotA500() {
        var lost = new jakarta.persistence.PersistenceException(
                new java.sql.SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        Response response = mappers.unexpected(lost);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(((Problem) response.getEntity()).detail()).contains("may or may not have taken effect");

        assertThat(mappers.unexpected(new NullPointerException("a bug")).getStatus())
                .isEqualTo(500);
    }

    private void assertProblem(DomainException e, int status, String title, String detail) {
        Response response = mappers.domain(e);
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.title()).isEqualTo(title);
        assertThat(problem.detail()).isEqualTo(detail);
    }
}
