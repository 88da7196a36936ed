package io.gitcrq.mcp.mcp;

import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.error.NotAuthenticatedException;
import io.gitcrq.kit.error.NotPermittedException;

/** A refusal as an agent reads it in an error result: its kind, then the detail (which service said what). */
final class Refusals {

    private Refusals() {}

    static String describe(DomainException refused) {
        String kind;
        if (refused instanceof NotPermittedException) {
            kind = "not permitted";
        } else if (refused instanceof EntityNotFoundException) {
            kind = "not found";
        } else if (refused instanceof ConflictException) {
            kind = "conflict";
        } else if (refused instanceof InvalidRequestException) {
            kind = "invalid request";
        } else if (refused instanceof NotAuthenticatedException) {
            kind = "not authenticated";
        } else {
            kind = "unavailable";
        }
        return kind + ": " + refused.getMessage();
    }
}
