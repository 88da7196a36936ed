package io.gitcrq.kit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body: what every gitcrq REST error answers with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }
}
