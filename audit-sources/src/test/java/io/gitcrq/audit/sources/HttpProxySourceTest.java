package io.gitcrq.audit.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpProxySourceTest {

    @Test
    void plainHttpThroughTheProxyIsRecorded() throws Exception {
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "hello through the proxy\n".getBytes(StandardCharsets.UTF_8);
        web.createContext("/hello", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(201, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        web.start();
        Recorder rec = new Recorder();
        HttpProxySource proxy = new HttpProxySource();
        SourceCounters c;
        try {
            proxy.start(AuditTarget.none(), rec);
            Map<String, String> env = proxy.environment();
            assertThat(env)
                    .containsOnlyKeys("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")
                    .containsEntry("http_proxy", "http://127.0.0.1:" + proxy.port());
            // a real client (curl) configured only through the injected environment
            ProcessBuilder pb = new ProcessBuilder(
                    "curl",
                    "-s",
                    "-S",
                    "--max-time",
                    "10",
                    "-d",
                    "payload=1",
                    "http://127.0.0.1:" + web.getAddress().getPort() + "/hello?x=1");
            pb.environment()
                    .keySet()
                    .removeIf(k -> k.equalsIgnoreCase("no_proxy")
                            || k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
            pb.environment().putAll(env);
            Process curl = pb.start();
            try {
                assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("hello through the proxy\n");
            } finally {
                curl.destroyForcibly();
            }
            assertThat(rec.awaitAny(r -> "http".equals(r.kind()), Duration.ofSeconds(5)))
                    .isTrue();
        } finally {
            c = proxy.stop();
            web.stop(0);
        }
        Summaries.check(rec, "http", c);
        AuditRecord r = rec.of("http").get(0);
        assertThat(r.payload())
                .containsEntry("method", "POST")
                .containsEntry("scheme", "http")
                .containsEntry("host", "127.0.0.1")
                .containsEntry("port", web.getAddress().getPort())
                .containsEntry("path", "/hello?x=1")
                .containsEntry("status", 201)
                .containsEntry("requestBodyBytes", 9L)
                .containsEntry("responseBodyBytes", (long) body.length);
        assertThat((Long) r.payload().get("requestBytes")).isGreaterThan(9L);
        assertThat((Long) r.payload().get("responseBytes")).isGreaterThan((long) body.length);
        assertThat(rec.summary("http").payload()).containsEntry("dropped", 0L).containsEntry("requests", 1L);
    }

    @Test
    void connectTunnelCountsBytesEachWay() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    byte[] in = s.getInputStream().readNBytes(5);
                    s.getOutputStream()
                            .write(("echo:" + new String(in, StandardCharsets.UTF_8) + "!")
                                    .getBytes(StandardCharsets.UTF_8));
                } catch (Exception ignored) {
                    // client asserts
                }
            });
            t.setDaemon(true);
            t.start();
            Recorder rec = new Recorder();
            HttpProxySource proxy = new HttpProxySource();
            SourceCounters c;
            try {
                proxy.start(AuditTarget.none(), rec);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                    + echo.getLocalPort() + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    String established = "HTTP/1.1 200 Connection Established\r\n\r\n";
                    assertThat(new String(in.readNBytes(established.length()), StandardCharsets.ISO_8859_1))
                            .isEqualTo(established);
                    out.write("hello".getBytes(StandardCharsets.UTF_8));
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("echo:hello!");
                }
                assertThat(rec.awaitAny(r -> "http".equals(r.kind()), Duration.ofSeconds(5)))
                        .isTrue();
            } finally {
                c = proxy.stop();
            }
            Summaries.check(rec, "http", c);
            assertThat(rec.of("http").get(0).payload())
                    .containsEntry("method", "CONNECT")
                    .containsEntry("host", "127.0.0.1")
                    .containsEntry("port", echo.getLocalPort())
                    .containsEntry("status", 200)
                    .containsEntry("bytesToServer", 5L)
                    .containsEntry("bytesFromServer", 11L)
                    .containsEntry("tls", "not intercepted");
        }
    }
}
