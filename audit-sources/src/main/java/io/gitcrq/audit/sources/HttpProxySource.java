package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.HttpExchange;
import io.gitcrq.model.audit.HttpSummary;
import io.gitcrq.model.audit.SourceSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code http}: a small blocking intercepting HTTP proxy of our own, listening on 127.0.0.1 (port chosen by the OS
 * unless given). Inject {@link #environment()} ({@code http_proxy https_proxy HTTP_PROXY HTTPS_PROXY}) into the
 * managed command. Records:
 * <ul>
 *   <li>plain HTTP: {@code {method, scheme:"http", host, port, path, status, requestBytes, responseBytes,
 *   requestBodyBytes, responseBodyBytes, durationMs, client, error?}}</li>
 *   <li>HTTPS via {@code CONNECT}: {@code {method:"CONNECT", scheme:"https", host, port, status, bytesToServer,
 *   bytesFromServer, durationMs, client, tls:"not intercepted"}} - the tunnel is relayed opaquely; there is no TLS
 *   interception, so paths/statuses inside HTTPS are not visible.</li>
 * </ul>
 * Limits: one request per client connection (the proxy answers with {@code Connection: close}); request bodies
 * with Content-Length or chunked encoding are relayed; no authentication, no caching, no HTTP/2; tools that honour
 * {@code no_proxy}/default bypass lists for localhost will not go through the proxy for local targets.
 * {@code captured} = requests/tunnels recorded; {@code dropped} = records lost (full queue) + connections that
 * ended before a request line could be read.
 */
public final class HttpProxySource extends AbstractAuditSource {

    private static final int MAX_HEAD = 64 * 1024;
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "proxy-connection", "keep-alive", "proxy-authorization", "te", "trailer", "upgrade");

    private final int bindPort;
    private ServerSocket server;
    private ExecutorService workers;
    private Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong tunnels = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public HttpProxySource() {
        this(0, DEFAULT_QUEUE_CAPACITY);
    }

    public HttpProxySource(int bindPort, int queueCapacity) {
        super("http", queueCapacity);
        this.bindPort = bindPort;
    }

    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    @Override
    public Map<String, String> environment() {
        if (server == null) {
            return Map.of();
        }
        String url = "http://127.0.0.1:" + port();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("http_proxy", url);
        env.put("https_proxy", url);
        env.put("HTTP_PROXY", url);
        env.put("HTTPS_PROXY", url);
        return env;
    }

    @Override
    protected void doStart(AuditTarget target) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), bindPort), 128);
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "audit-http-proxy-worker");
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "audit-http-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                workers.execute(() -> {
                    try {
                        handle(s);
                    } finally {
                        open.remove(s);
                        closeQuietly(s);
                    }
                });
            } catch (IOException e) {
                return; // closed
            } catch (RuntimeException e) {
                return; // executor shut down
            }
        }
    }

    private void handle(Socket client) {
        long t0 = System.nanoTime();
        Exchange rec = new Exchange();
        try {
            client.setSoTimeout(60_000);
            InputStream cin = client.getInputStream();
            OutputStream cout = client.getOutputStream();
            byte[] head = readHead(cin);
            if (head == null) {
                countDropped(SourceSummary.UNPARSABLE, 1); // connection closed/garbled before a request line
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            String[] lines = headText.split("\r\n");
            String[] rl = lines[0].split(" ");
            rec.client = client.getRemoteSocketAddress().toString();
            if (rl.length != 3) {
                rec.method = lines[0];
                rec.status = 400;
                rec.error = "malformed request line";
                cout.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String method = rl[0].toUpperCase(Locale.ROOT);
            rec.method = method;
            if (method.equals("CONNECT")) {
                tunnel(client, cin, cout, rl[1], rec);
            } else {
                forward(cin, cout, method, rl[1], rl[2], lines, head.length, rec);
            }
        } catch (IOException e) {
            if (rec.error == null) {
                rec.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        } finally {
            if (rec.method != null) {
                emit(rec.record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
            }
        }
    }

    private void tunnel(Socket client, InputStream cin, OutputStream cout, String authority, Exchange rec)
            throws IOException {
        tunnels.incrementAndGet();
        int colon = authority.lastIndexOf(':');
        String host = colon > 0 ? authority.substring(0, colon) : authority;
        int port = colon > 0 ? Integer.parseInt(authority.substring(colon + 1)) : 443;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        rec.scheme = "https";
        rec.host = host;
        rec.port = port;
        rec.tls = "not intercepted";
        Socket up = new Socket();
        open.add(up);
        try {
            try {
                up.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                rec.status = 502;
                rec.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                cout.write("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            cout.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            cout.flush();
            rec.status = 200;
            client.setSoTimeout(0);
            AtomicLong toServer = new AtomicLong();
            Thread pump = pumpAsync(cin, up, toServer);
            long fromServer = copy(up.getInputStream(), cout, Long.MAX_VALUE);
            shutdownOutput(client);
            joinQuietly(pump);
            rec.bytesToServer = toServer.get();
            rec.bytesFromServer = fromServer;
        } finally {
            open.remove(up);
            closeQuietly(up);
        }
    }

    private void forward(
            InputStream cin,
            OutputStream cout,
            String method,
            String target,
            String version,
            String[] lines,
            int headBytes,
            Exchange rec)
            throws IOException {
        requests.incrementAndGet();
        rec.scheme = "http";
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            rec.path = target;
            rec.status = 400;
            rec.error = "proxy requests need an absolute http:// URI (https goes through CONNECT)";
            cout.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        rec.host = host;
        rec.port = port;
        rec.path = path;
        long contentLength = 0;
        boolean chunked = false;
        StringBuilder out = new StringBuilder();
        out.append(method).append(' ').append(path).append(' ').append(version).append("\r\n");
        boolean hasHost = false;
        for (int i = 1; i < lines.length; i++) {
            String h = lines[i];
            int c = h.indexOf(':');
            if (c <= 0) {
                continue;
            }
            String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(c + 1).trim();
            if (HOP_BY_HOP.contains(name)) {
                continue;
            }
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            }
            if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            if (name.equals("host")) {
                hasHost = true;
            }
            out.append(h).append("\r\n");
        }
        if (!hasHost) {
            out.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        try (Socket up = new Socket()) {
            open.add(up);
            try {
                up.connect(new InetSocketAddress(host, port), 10_000);
            } catch (IOException e) {
                rec.status = 502;
                rec.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                rec.requestBytes = (long) headBytes;
                rec.responseBytes = 0L;
                cout.write("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            up.setSoTimeout(60_000);
            OutputStream uout = up.getOutputStream();
            uout.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            AtomicLong body = new AtomicLong();
            Thread pump = null;
            if (chunked) {
                pump = pumpAsync(cin, up, body); // relayed raw until the upstream answers and closes
            } else if (contentLength > 0) {
                body.set(copy(cin, uout, contentLength));
            }
            uout.flush();
            InputStream uin = up.getInputStream();
            byte[] rhead = readHead(uin);
            if (rhead == null) {
                rec.status = 502;
                rec.error = "upstream closed without a response";
                cout.write("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String[] rlines = new String(rhead, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] status = rlines[0].split(" ", 3);
            rec.status = status.length > 1 ? Integer.parseInt(status[1]) : -1;
            StringBuilder resp = new StringBuilder(rlines[0]).append("\r\n");
            for (int i = 1; i < rlines.length; i++) {
                String h = rlines[i];
                int c = h.indexOf(':');
                String name = c > 0 ? h.substring(0, c).trim().toLowerCase(Locale.ROOT) : "";
                if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("proxy-connection")) {
                    resp.append(h).append("\r\n");
                }
            }
            resp.append("Connection: close\r\n\r\n");
            cout.write(resp.toString().getBytes(StandardCharsets.ISO_8859_1));
            long respBody = "HEAD".equals(method) ? 0 : copy(uin, cout, Long.MAX_VALUE);
            cout.flush();
            if (pump != null) {
                closeQuietly(up);
                joinQuietly(pump);
            }
            rec.requestBytes = headBytes + body.get();
            rec.requestBodyBytes = body.get();
            rec.responseBytes = rhead.length + respBody;
            rec.responseBodyBytes = respBody;
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    /** Reads up to and including CRLFCRLF; null when the stream ends first or the head is too big. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (b.size() < MAX_HEAD) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
                case 3 -> c == '\n' ? 4 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return b.toByteArray();
            }
        }
        return null;
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        while (total < limit) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            } catch (SocketException e) {
                break; // closed by the other side / by stop()
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            out.flush();
            total += n;
        }
        return total;
    }

    private Thread pumpAsync(InputStream from, Socket to, AtomicLong counter) {
        Thread t = new Thread(
                () -> {
                    try {
                        counter.set(copy(from, to.getOutputStream(), Long.MAX_VALUE));
                    } catch (IOException ignored) {
                        // peer gone
                    } finally {
                        shutdownOutput(to);
                    }
                },
                "audit-http-proxy-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void shutdownOutput(Socket s) {
        try {
            if (!s.isClosed()) {
                s.shutdownOutput();
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    protected void doStop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (acceptor != null) {
            joinQuietly(acceptor);
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                    new ArrayList<>(open).forEach(HttpProxySource::closeQuietly); // in-flight requests end now
                    workers.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected HttpSummary summary(SourceCounters counters, String stopError, Long sinkFailures) {
        if (stopError != null) {
            return new HttpSummary(
                    counters.seen(),
                    counters.captured(),
                    counters.dropped(),
                    counters.droppedBy(),
                    counters.fellBehind() ? Boolean.TRUE : null,
                    null,
                    null,
                    null,
                    null,
                    stopError,
                    sinkFailures);
        }
        return new HttpSummary(
                counters.seen(),
                counters.captured(),
                counters.dropped(),
                counters.droppedBy(),
                counters.fellBehind() ? Boolean.TRUE : null,
                "127.0.0.1:" + (server == null ? -1 : server.getLocalPort()),
                connections.get(),
                requests.get(),
                tunnels.get(),
                null,
                sinkFailures);
    }

    /** What is known of one exchange so far; only what happened is set. */
    private static final class Exchange {
        String client;
        String method;
        String scheme;
        String host;
        Integer port;
        String path;
        String tls;
        Integer status;
        String error;
        Long requestBytes;
        Long requestBodyBytes;
        Long responseBytes;
        Long responseBodyBytes;
        Long bytesToServer;
        Long bytesFromServer;

        HttpExchange record(long durationMs) {
            return new HttpExchange(
                    client,
                    method,
                    scheme,
                    host,
                    port,
                    path,
                    tls,
                    status,
                    error,
                    requestBytes,
                    requestBodyBytes,
                    responseBytes,
                    responseBodyBytes,
                    bytesToServer,
                    bytesFromServer,
                    durationMs);
        }
    }
}
