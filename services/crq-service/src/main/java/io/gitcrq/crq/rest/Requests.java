package io.gitcrq.crq.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import java.util.List;

/** Refuses a request body whose form is wrong, with every problem in one detail, as Bean Validation told them. */
final class Requests {

    private Requests() {}

    static void requireValid(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
    }
}
