package io.gitcrq.audit.sources;

import java.io.IOException;

/** A source's tool is missing or cannot run here (message names the Debian package to install). */
public class AuditSourceUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public AuditSourceUnavailableException(String message) {
        super(message);
    }
}
