package io.gitcrq.cli.http;

import io.gitcrq.cli.process.CliFailure;

/** A service answered 4xx/5xx; the message is built from its {@code application/problem+json} body. */
public class ServiceProblemException extends CliFailure {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final String detail;

    public ServiceProblemException(Service service, int status, String title, String detail, Credentials who) {
        super(FAILED, message(service, status, title, detail, who));
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    private static String message(Service service, int status, String title, String detail, Credentials who) {
        boolean hasDetail = detail != null && !detail.isBlank();
        if (status == 401 && who.isToken()) {
            return "authentication failed with " + who.who() + " at " + service.displayName()
                    + " (expired, or not from the issuer the service trusts: get a new token and run gitcrq login)";
        }
        if (status == 401) {
            return "authentication failed for " + who.who() + " at " + service.displayName()
                    + " (check --user/GITCRQ_USER and GITCRQ_PASSWORD)";
        }
        if (status == 403) {
            return "forbidden: " + (hasDetail ? detail : title + " (" + who.who() + ")");
        }
        return status + " " + title + (hasDetail ? ": " + detail : "");
    }
}
