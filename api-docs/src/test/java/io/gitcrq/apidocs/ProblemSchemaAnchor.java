package io.gitcrq.apidocs;

import io.gitcrq.kit.rest.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Never served: indexed beside each service so that the scanner describes service-kit's {@link Problem} record as a
 * component schema (the error responses refer to it); {@link OpenApiGenerator} removes this path from the document.
 */
@Path(ProblemSchemaAnchor.PATH)
class ProblemSchemaAnchor {
    static final String PATH = "/problem-schema-anchor";

    @GET
    Problem problem() {
        throw new UnsupportedOperationException("never called: only scanned");
    }
}
