package io.gitcrq.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.gitcrq.kit.delivery.DeliveryFailures;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every error a REST call can meet into a problem body, so that no client ever sees a bare 500 or an empty 400. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(Problem.of(e.status(), e.title(), e.getMessage()));
    }

    /** The one place where a domain refusal becomes an HTTP status. */
    @ServerExceptionMapper
    public Response domain(DomainException e) {
        return respond(Problem.of(statusOf(e), titleOf(statusOf(e)), e.getMessage()));
    }

    static int statusOf(DomainException e) {
        if (e instanceof EntityNotFoundException) {
            return 404;
        } else if (e instanceof ConflictException) {
            return 409;
        } else if (e instanceof NotPermittedException) {
            return 403;
        } else if (e instanceof InvalidRequestException) {
            return 400;
        } else if (e instanceof NotAuthenticatedException) {
            return 401;
        } else if (e instanceof UpstreamUnavailableException) {
            return 502;
        }
        // A kind added to the hierarchy without a status here: a bug of ours, said as such.
        return 500;
    }

    private static String titleOf(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }

    /** A role check (@RolesAllowed) failed: say so, instead of Quarkus' empty 403. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "your roles do not allow this operation"));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return respond(Problem.of(
                400,
                "Bad Request",
                "unknown field '" + e.getPropertyName() + "'; known fields: " + e.getKnownPropertyIds()));
    }

    /** A value of the wrong type or form (a NUL in a text, say): quarkus-rest-jackson's own mapper would answer plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return respond(Problem.of(400, "Bad Request", "malformed JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(Problem.of(400, "Bad Request", "malformed JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(ProblemMappers::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(Problem.of(400, "Bad Request", detail));
    }

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        return respond(Problem.of(400, "Bad Request", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getResponse().hasEntity()) {
            return e.getResponse();
        }
        // Malformed JSON reaches us wrapped as a 400 by the JSON reader: say what is wrong with it.
        Throwable cause = e.getCause();
        String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return respond(Problem.of(status, titleOf(status), detail));
    }

    /**
     * The database (or a stop in progress) failed under the request: 503, to be looked at and sent again, never a 500.
     * A connection lost while committing leaves the outcome unknown, and the detail says so.
     */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (DeliveryFailures.ofInfrastructure(e)) {
            LOG.warnf("answering 503: the infrastructure failed under a request: %s", e.toString());
            return Response.fromResponse(respond(Problem.of(
                            503,
                            "Service Unavailable",
                            "the service's database failed while answering: the request may or may not have taken"
                                    + " effect; look before sending it again")))
                    .header("Retry-After", "5")
                    .build();
        }
        LOG.error("unexpected error answering a request", e);
        return respond(Problem.of(500, "Internal Server Error", "unexpected error; see the service log"));
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field + " " + v.getMessage();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
