package io.gitcrq.cli.daemon;

import io.gitcrq.cli.resident.DaemonRequest;
import io.gitcrq.cli.resident.DirectoryLock;
import io.gitcrq.cli.resident.ResidentServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident CLI: one JVM per user and checkout that runs the CLI's commands for the {@code ./gitcrq} script, so a
 * command costs a {@code curl} call instead of a JVM's start (bench P6). It listens on a Unix socket in a directory
 * only its user may enter ({@code 0700}, owned by them; the socket {@code 0600}) and serves only connections of its
 * own user (the kernel's peer credentials), one thread each, at most {@link #MAX_CALLS} at once. It runs what
 * {@link DaemonCall} serves and leaves the rest to the script's own JVM. It stops when asked ({@code POST /stop}),
 * when its socket is removed or replaced (the script does so when the CLI's jar is newer than the socket), or after
 * {@code idle} without a call. It logs when it starts and stops, never a command line or an environment.
 *
 * <pre>java -cp gitcrq-cli.jar io.gitcrq.cli.daemon.CliDaemon SOCKET [IDLE_MINUTES]</pre>
 */
public final class CliDaemon extends ResidentServer<SocketChannel> {

    static final int MAX_CALLS = 16;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path socket;
    private final UserPrincipal owner;
    private final ServerSocketChannel server;
    private final Object socketKey;
    private final AtomicInteger commands = new AtomicInteger();

    private CliDaemon(Path socket, Duration idle, UserPrincipal owner, DirectoryLock lock) throws IOException {
        super("gitcrq CLI daemon", lock, idle, MAX_CALLS, "gitcrq-cli");
        this.socket = socket;
        this.owner = owner;
        Files.deleteIfExists(socket); // left by a daemon that died: the lock says none runs
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, OWNER_ONLY_FILE);
        this.socketKey = fileKey(socket).orElseThrow(() -> new IOException(socket + " is gone after binding it"));
    }

    /**
     * Starts a daemon on {@code socket}, or returns empty when another daemon holds the directory's lock (it runs, or
     * is starting). The directory must be its user's own and closed to others.
     */
    public static Optional<CliDaemon> start(Path socket, Duration idle) throws IOException {
        return startLocked(
                socket.toAbsolutePath().getParent(),
                "cli-daemon.lock",
                (owner, lock) -> new CliDaemon(socket.toAbsolutePath(), idle, owner, lock));
    }

    public static void main(String[] args) throws IOException {
        run("gitcrq CLI daemon", "CliDaemon SOCKET [IDLE_MINUTES]", args, CliDaemon::start);
    }

    public Path socket() {
        return socket;
    }

    @Override
    protected SocketChannel accept() throws IOException {
        return server.accept();
    }

    @Override
    protected void closeListener() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket does not fail in a way that matters here
        }
    }

    @Override
    protected Optional<String> unwantedBecause() {
        return ownsSocket() ? Optional.empty() : Optional.of("its socket was removed or replaced");
    }

    @Override
    protected void forgetAddress() throws IOException {
        if (ownsSocket()) {
            Files.deleteIfExists(socket);
        }
    }

    @Override
    protected String address() {
        return socket.toString();
    }

    @Override
    protected void handle(SocketChannel connection) {
        try (connection) {
            if (!fromOwner(connection)) {
                return; // another user's process: no answer at all
            }
            DaemonExchange exchange = DaemonExchange.over(connection);
            DaemonExchange.Request request;
            try {
                request = exchange.read();
            } catch (IllegalArgumentException e) {
                exchange.fallback("bad request: " + e.getMessage());
                return;
            }
            if (request == null) {
                return;
            }
            switch (request.target()) {
                case "/run" -> run(exchange, request.body());
                case "/status" ->
                    exchange.answer(name() + " on " + socket + ", since " + started() + ": commands run: "
                            + commands.get() + ", connections: " + connectionsServed() + ", under way: "
                            + (underWay() - 1) + "\n");
                case "/stop" -> {
                    exchange.answer(name() + " stops\n");
                    stop("asked to stop");
                }
                default -> exchange.fallback("unknown target " + request.target());
            }
        } catch (IOException e) {
            // The caller went away (curl killed, ^C): nothing to answer.
        }
    }

    private void run(DaemonExchange exchange, byte[] body) throws IOException {
        DaemonRequest request;
        try {
            request = DaemonRequest.parse(body);
        } catch (IllegalArgumentException e) {
            exchange.fallback(e.getMessage());
            return;
        }
        Optional<String> notServed = DaemonCall.notServed(request.args());
        if (notServed.isPresent()) {
            exchange.fallback(notServed.get());
            return;
        }
        DaemonCall.CappedStderr stderr = new DaemonCall.CappedStderr();
        Thread worker = Thread.currentThread();
        // A caller that goes away (^C kills curl) ends its command.
        Thread hangUp = new Thread(
                () -> {
                    exchange.awaitCallerGone();
                    if (!exchange.ended()) {
                        worker.interrupt();
                    }
                },
                "gitcrq-cli-hangup");
        hangUp.setDaemon(true);
        hangUp.start();
        int exit;
        try {
            commands.incrementAndGet();
            exit = DaemonCall.run(request, exchange.stdout(), stderr);
        } catch (DaemonCall.FallbackRequired e) {
            if (!exchange.begun()) {
                commands.decrementAndGet();
                exchange.fallback(e.getMessage());
                return;
            }
            stderr.write(("error: " + e.getMessage() + ": run it with GITCRQ_CLI_DAEMON=0\n")
                    .getBytes(StandardCharsets.UTF_8));
            exit = 1;
        } catch (RuntimeException e) {
            stderr.write(("error: the CLI daemon failed: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            exit = 1;
        } finally {
            Thread.interrupted(); // an interrupt for a caller that went away must not outlive its call
        }
        exchange.end(exit, stderr.toByteArray());
    }

    private boolean fromOwner(SocketChannel connection) {
        try {
            UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().equals(owner);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    protected void busy(SocketChannel connection) {
        try (connection) {
            DaemonExchange exchange = DaemonExchange.over(connection);
            if (fromOwner(connection) && exchange.read() != null) {
                exchange.fallback(MAX_CALLS + " calls under way");
            }
        } catch (IOException | IllegalArgumentException e) {
            // the script falls back when it gets no answer from a daemon that is there
        }
    }

    /** Whether the socket's path still names the socket this daemon bound (not removed, not another's). */
    private boolean ownsSocket() {
        return fileKey(socket).map(socketKey::equals).orElse(false);
    }
}
