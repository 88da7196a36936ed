package io.gitcrq.cli.http;

import io.gitcrq.cli.process.CliFailure;

/** No connection to a service: most likely the platform is not running. */
public class ServiceUnreachableException extends CliFailure {
    private static final long serialVersionUID = 1L;

    public ServiceUnreachableException(Service service, String baseUrl, Throwable cause) {
        super(
                UNREACHABLE,
                "cannot reach " + service.displayName() + " at " + baseUrl + ": start the platform with ./gitcrq up",
                cause);
    }
}
