package io.gitcrq.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The MCP Java SDK's client on the service under test, sending one Authorization header with every request. */
final class McpTestClient {

    private McpTestClient() {}

    /** An initialized client of {@code root}'s /mcp. */
    static McpSyncClient connect(URL root, String authorization) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        root.toString().replaceAll("/$", ""))
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", authorization))
                .build();
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    /** A bare MCP initialize request to /mcp, as a client without the SDK sends it, on top of {@code request}. */
    static ValidatableResponse initialize(RequestSpecification request) {
        return request.contentType("application/json")
                .accept("application/json, text/event-stream")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}")
                .post("/mcp")
                .then();
    }

    /** A development user's HTTP basic header (password = name). */
    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }
}
