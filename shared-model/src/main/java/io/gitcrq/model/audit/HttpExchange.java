package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * {@code http}: one request through the audit proxy. Plain HTTP: {@code scheme: http}, host, port, path, status
 * and bytes each way (whole and body). HTTPS: a {@code CONNECT} tunnel, {@code scheme: https}, relayed without
 * reading it ({@code tls: not intercepted}), bytes each way. {@code error} says what went wrong (a 400 or 502 the
 * proxy answered itself, or the connection failing); {@code client} is the requesting socket, {@code durationMs}
 * how long the exchange took. Only what happened is set: the fields in this order are the wire form.
 */
public record HttpExchange(
        String client,
        String method,
        @JsonInclude(Include.NON_NULL) String scheme,
        @JsonInclude(Include.NON_NULL) String host,
        @JsonInclude(Include.NON_NULL) Integer port,
        @JsonInclude(Include.NON_NULL) String path,
        @JsonInclude(Include.NON_NULL) String tls,
        @JsonInclude(Include.NON_NULL) Integer status,
        @JsonInclude(Include.NON_NULL) String error,
        @JsonInclude(Include.NON_NULL) Long requestBytes,
        @JsonInclude(Include.NON_NULL) Long requestBodyBytes,
        @JsonInclude(Include.NON_NULL) Long responseBytes,
        @JsonInclude(Include.NON_NULL) Long responseBodyBytes,
        @JsonInclude(Include.NON_NULL) Long bytesToServer,
        @JsonInclude(Include.NON_NULL) Long bytesFromServer,
        long durationMs)
        implements AuditPayload {

    public static final String KIND = "http";

    @Override
    public String kind() {
        return KIND;
    }
}
