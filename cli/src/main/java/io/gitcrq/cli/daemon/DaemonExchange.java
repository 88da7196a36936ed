package io.gitcrq.cli.daemon;

import io.gitcrq.cli.resident.DaemonRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange on a connection to the resident CLI, as {@code curl --unix-socket} makes it: a request
 * ({@code POST} with a {@code Content-Length} body), then one of two answers. A <em>fallback</em> ({@code 409} with
 * {@code X-Gitcrq-Fallback: why}) before anything ran, which tells the script to start the CLI's own JVM instead; or
 * the command's run: its standard output as the chunked body, as it is written, and at the end two trailers,
 * {@code X-Gitcrq-Exit} (the exit code) and {@code X-Gitcrq-Stderr} (what it wrote to standard error, escaped for
 * bash's {@code printf %b}: curl writes trailers with the headers, so the script reads them from {@code -D}). Only
 * what the script sends is understood; anything else is refused as a fallback, never guessed at.
 */
final class DaemonExchange {

    /** Header lines and request line together: a command line needs a few hundred bytes of them. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    /** Standard error carried in the trailer at most (curl takes header lines of up to 100 KB, escapes take 4×). */
    static final int MAX_STDERR_BYTES = 20 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Body body = new Body();
    private boolean begun;
    private volatile boolean ended;

    DaemonExchange(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** The exchange on a connection: its reads and writes may go on in two threads at once. */
    static DaemonExchange over(SocketChannel connection) {
        return new DaemonExchange(
                new BufferedInputStream(ChannelStreams.in(connection)), ChannelStreams.out(connection));
    }

    /** The request's target and body; null when the connection closed before a request. */
    Request read() throws IOException {
        String head = readHead();
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[0].equals("POST") || !requestLine[2].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("not a POST request: " + abbreviated(lines[0]));
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed header line");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> throw new IllegalArgumentException("a body of a known length only");
                case "expect" -> {
                    if (value.equalsIgnoreCase("100-continue")) {
                        write("HTTP/1.1 100 Continue\r\n\r\n");
                    }
                }
                default -> {
                    // Host, User-Agent, Accept, Content-Type: nothing the answer depends on.
                }
            }
        }
        if (length < 0 || length > DaemonRequest.MAX_BYTES) {
            throw new IllegalArgumentException("a body of 0 to " + DaemonRequest.MAX_BYTES + " bytes, with its length");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new IOException("the request ended after " + bytes.length + " of " + length + " bytes");
        }
        return new Request(requestLine[1], bytes);
    }

    record Request(String target, byte[] body) {}

    /** Answers that the command did not run here: the script runs it in a JVM of its own. */
    void fallback(String why) throws IOException {
        if (begun) {
            throw new IllegalStateException("the answer has begun: too late to fall back");
        }
        ended = true;
        write("HTTP/1.1 409 Conflict\r\nX-Gitcrq-Fallback: " + headerSafe(why)
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    /** Whether the command's answer has begun (its output is on its way): a fallback is no longer possible. */
    boolean begun() {
        return begun;
    }

    /** Where the command writes its standard output: a chunk goes out at each flush. */
    OutputStream stdout() {
        return body;
    }

    /** Answers with {@code text} and exit code 0: what the daemon says of itself. */
    void answer(String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        end(0, new byte[0]);
    }

    /**
     * Returns once the caller closed the connection (or it closed here): a request has no more bytes to send, so
     * anything but the end of the stream is not read.
     */
    void awaitCallerGone() {
        try {
            while (in.read() >= 0) {
                // nothing more is expected of the caller
            }
        } catch (IOException e) {
            // closed: by the caller, or by this side at the end
        }
    }

    /** Ends the answer with the command's exit code and standard error. */
    void end(int exitCode, byte[] stderr) throws IOException {
        body.flush();
        begin();
        ended = true;
        write("0\r\nX-Gitcrq-Exit: " + exitCode + "\r\nX-Gitcrq-Stderr: " + printfEscaped(stderr) + "\r\n\r\n");
    }

    boolean ended() {
        return ended;
    }

    /**
     * {@code bytes} as bash's {@code printf '%b'} prints them back: printable ASCII as it is, a backslash doubled,
     * every other byte (newlines, controls, each byte of a multi-byte character) as {@code \xHH}. Nothing in it can end
     * the header line.
     */
    static String printfEscaped(byte[] bytes) {
        StringBuilder escaped = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                escaped.append((char) c);
            } else {
                escaped.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return escaped.toString();
    }

    private void begin() throws IOException {
        if (!begun) {
            begun = true;
            write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Gitcrq-Exit, X-Gitcrq-Stderr\r\nConnection: close\r\n\r\n");
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the request ended within its head");
            }
            if (head.size() >= MAX_HEAD_BYTES) {
                throw new IllegalArgumentException("a request head of more than " + MAX_HEAD_BYTES + " bytes");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A reason in a header: printable ASCII only. */
    private static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder();
        for (char c : text.toCharArray()) {
            safe.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return safe.toString();
    }

    private static String abbreviated(String text) {
        return headerSafe(text.length() <= 40 ? text : text.substring(0, 40) + "...");
    }

    /** The chunked body: bytes collect until a flush (or 8 KB), then go out as one chunk. */
    private final class Body extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            pending.write(b);
            if (pending.size() >= 8192) {
                flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pending.write(b, off, len);
            if (pending.size() >= 8192) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() == 0) {
                return;
            }
            if (ended) {
                throw new IOException("the answer has ended");
            }
            begin();
            out.write((Integer.toHexString(pending.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            pending.writeTo(out);
            out.write(new byte[] {'\r', '\n'});
            out.flush();
            pending.reset();
        }
    }
}
