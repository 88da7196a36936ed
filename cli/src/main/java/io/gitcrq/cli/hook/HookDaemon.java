package io.gitcrq.cli.hook;

import io.gitcrq.cli.git.Git;
import io.gitcrq.cli.process.CliEnvironment;
import io.gitcrq.cli.resident.DaemonRequest;
import io.gitcrq.cli.resident.DirectoryLock;
import io.gitcrq.cli.resident.ResidentServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resident hook runner: one JVM per user and CLI build that runs {@code commit-msg} for the script
 * {@code gitcrq hooks install} writes, so a commit costs a bash process and a loopback connection instead of a JVM's
 * start (bench P4). bash reaches it with builtins alone ({@code /dev/tcp}), which know no Unix sockets, so it listens
 * on 127.0.0.1, where any local user may connect; both sides therefore prove that they read the runner's
 * {@value #ADDRESS_FILE} file (port, client token, server token; {@code 0600} in a {@code 0700} directory of the
 * user's own). The caller sends the client token first; the runner answers with the server token only to a caller
 * that sent the right one, and the caller sends its request only to a runner that answered so. Another user's
 * process that takes the port once the runner is gone learns a client token that no runner accepts any more (a new
 * runner writes new tokens) and gets no request.
 * <p>
 * The wire, every field NUL-terminated: the caller's {@code T:<client token>}; the runner's {@code S:<server token>};
 * the caller's request in {@link DaemonRequest}'s fields ({@code V:1}, {@code C:<directory>}, {@code E:<NAME>=<value>}
 * for its {@code GIT_*}, {@code HOME} and {@code XDG_CONFIG_HOME}, {@code A:commit-msg}, {@code A:<message file>})
 * ended by an empty field; then the runner's {@code X:<exit code>} followed by the hook's standard error until the
 * connection ends, or {@code F:<reason>} when the caller should run the hook in a JVM of its own. A request without
 * arguments asks for the runner's status.
 * <p>
 * It stops when its address file is removed or replaced, when the CLI's jar it runs from changes (a reinstall), or
 * after {@code idle} without a call ({@link ResidentServer}). It logs when it starts and stops, never a message or an
 * environment.
 *
 * <pre>java -cp gitcrq-cli.jar io.gitcrq.cli.hook.HookDaemon DIRECTORY [IDLE_MINUTES]</pre>
 */
public final class HookDaemon extends ResidentServer<Socket> {

    public static final String ADDRESS_FILE = "address";
    private static final String LOCK_FILE = "hook-daemon.lock";
    static final int MAX_CALLS = 16;
    /** How long a caller may take to send its token and request: a hook's bash sends them at once. */
    static final Duration CALLER_TIMEOUT = Duration.ofSeconds(30);

    private static final int TOKEN_BYTES = 32;
    private static final int MAX_STDERR_CHARS = 64 * 1024;

    private final Path directory;
    private final ServerSocket server;
    private final String clientToken;
    private final String serverToken;
    private final Object addressKey;
    private final Optional<JarStamp> jar = JarStamp.ofOwnJar();
    private final AtomicInteger hooksRun = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private HookDaemon(Path directory, Duration idle, DirectoryLock lock) throws IOException {
        super("gitcrq hook runner", lock, idle, MAX_CALLS, "gitcrq-hook");
        this.directory = directory;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        SecureRandom random = new SecureRandom();
        this.clientToken = token(random);
        this.serverToken = token(random);
        this.addressKey = writeAddress();
    }

    /**
     * Starts a runner in {@code directory} (its user's own, closed to others), or returns empty when another runner
     * holds the directory's lock (it runs, or is starting).
     */
    public static Optional<HookDaemon> start(Path directory, Duration idle) throws IOException {
        Path dir = directory.toAbsolutePath();
        return startLocked(dir, LOCK_FILE, (owner, lock) -> new HookDaemon(dir, idle, lock));
    }

    public static void main(String[] args) throws IOException {
        run("gitcrq hook runner", "HookDaemon DIRECTORY [IDLE_MINUTES]", args, HookDaemon::start);
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    protected Socket accept() throws IOException {
        return server.accept();
    }

    @Override
    protected void busy(Socket connection) {
        close(connection); // the script runs the hook in a JVM of its own
    }

    @Override
    protected void closeListener() {
        close(server);
    }

    @Override
    protected Optional<String> unwantedBecause() {
        if (!ownsAddress()) {
            return Optional.of("its address file was removed or replaced");
        }
        if (jar.isPresent() && !jar.get().unchanged()) {
            return Optional.of("the CLI's jar " + jar.get().path() + " changed");
        }
        return Optional.empty();
    }

    @Override
    protected void forgetAddress() throws IOException {
        if (ownsAddress()) {
            Files.deleteIfExists(directory.resolve(ADDRESS_FILE));
        }
    }

    @Override
    protected String address() {
        return directory + " on 127.0.0.1:" + port();
    }

    @Override
    protected String summary() {
        return "; " + counts();
    }

    @Override
    protected void handle(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) CALLER_TIMEOUT.toMillis());
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            // One deadline for the whole request, not per read: a caller trickling a byte at a time holds no slot
            // longer.
            long deadline = System.nanoTime() + CALLER_TIMEOUT.toNanos();
            byte[] token = readField(in, 16 + 2 * TOKEN_BYTES, deadline);
            if (token == null
                    || !MessageDigest.isEqual(token, ("T:" + clientToken).getBytes(StandardCharsets.US_ASCII))) {
                refused.incrementAndGet();
                return; // not our user's hook: no answer at all
            }
            out.write(("S:" + serverToken + "\0").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            calledNow();
            byte[] body = readRequest(in, deadline);
            String answer;
            try {
                answer = answer(DaemonRequest.parse(body));
            } catch (IllegalArgumentException e) {
                answer = "F:bad request: " + e.getMessage() + "\0";
            }
            out.write(answer.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The caller went away or took too long: it runs the hook in a JVM of its own, or git already gave up.
        }
    }

    private String answer(DaemonRequest request) {
        List<String> args = request.args();
        if (args.isEmpty()) {
            return "X:0\0" + name() + " in " + directory + ", since " + started() + ": " + counts() + "\n";
        }
        if (args.size() != 2 || !args.get(0).equals("commit-msg")) {
            return "F:only commit-msg FILE is run here\0";
        }
        Optional<String> foreign = request.env().keySet().stream()
                .filter(variable -> !Git.isCallerVariable(variable))
                .findFirst();
        if (foreign.isPresent()) {
            return "F:bad request: the variable " + foreign.get() + " is not git's\0";
        }
        StringWriter stderr = new StringWriter();
        // Only the caller's git variables: the hook reads nothing else of its environment, and Git.forCaller puts them
        // in place of this process's own.
        CliEnvironment caller = new CliEnvironment(
                new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                new PrintWriter(stderr, true),
                request.env(),
                name -> null,
                prompt -> Optional.empty(),
                request.workingDirectory(),
                Duration.ofMillis(200));
        hooksRun.incrementAndGet();
        int exit = HookMain.run(caller, args);
        String text = stderr.toString().replace('\0', ' ');
        if (text.length() > MAX_STDERR_CHARS) {
            text = text.substring(0, MAX_STDERR_CHARS) + "\n(standard error cut short)\n";
        }
        return "X:" + exit + "\0" + text;
    }

    private String counts() {
        return hooksRun.get() + " hooks run, " + refused.get() + " callers refused";
    }

    /** The request's fields up to the empty one that ends it, as {@link DaemonRequest#parse} reads them. */
    private static byte[] readRequest(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            byte[] field = readField(in, DaemonRequest.MAX_BYTES - body.size(), deadline);
            if (field == null) {
                throw new IOException("the request ended early, is too long or took too long");
            }
            if (field.length == 0) {
                return body.toByteArray();
            }
            body.write(field);
            body.write(0);
        }
    }

    /**
     * Bytes up to the next NUL (not included); null when the stream ends first, the field is longer than max or the
     * deadline ({@link System#nanoTime}) passed.
     */
    private static byte[] readField(InputStream in, int max, long deadline) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0 || field.size() > max || System.nanoTime() > deadline) {
                return null;
            }
            if (b == 0) {
                return field.toByteArray();
            }
            field.write(b);
        }
    }

    /** Writes port and tokens to a new file moved over the address file at once: a caller never reads half of it. */
    private Object writeAddress() throws IOException {
        Path address = directory.resolve(ADDRESS_FILE);
        Path fresh = Files.createTempFile(
                directory,
                "address",
                ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(
                    fresh, port() + "\n" + clientToken + "\n" + serverToken + "\n", StandardCharsets.US_ASCII);
            Files.move(fresh, address, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(fresh);
        }
        return fileKey(address).orElseThrow(() -> new IOException(address + " is gone after writing it"));
    }

    private boolean ownsAddress() {
        return fileKey(directory.resolve(ADDRESS_FILE)).map(addressKey::equals).orElse(false);
    }

    private static String token(SecureRandom random) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing a socket does not fail in a way that matters here
        }
    }

    /** The jar this class was loaded from, as it was at start: a reinstalled CLI is a new build to run. */
    private record JarStamp(Path path, Object fileKey, long modified, long size) {

        static Optional<JarStamp> ofOwnJar() {
            Path path = HookInstaller.ownJar();
            try {
                return path == null ? Optional.empty() : Optional.of(of(path));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        static JarStamp of(Path path) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new JarStamp(
                    path, attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
        }

        boolean unchanged() {
            try {
                return equals(of(path));
            } catch (IOException e) {
                return false;
            }
        }
    }
}
