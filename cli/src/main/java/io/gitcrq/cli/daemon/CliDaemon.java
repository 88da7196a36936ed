package io.gitcrq.cli.daemon;

import io.gitcrq.cli.resident.DaemonRequest;
import io.gitcrq.cli.resident.OwnerOnlyDirectory;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
public final class CliDaemon implements AutoCloseable {

    static final int MAX_CALLS = 16;
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(60);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path socket;
    private final Duration idle;
    private final UserPrincipal owner;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ServerSocketChannel server;
    private final Object socketKey;
    private final ExecutorService calls;
    private final ScheduledExecutorService watch;
    private final Semaphore slots = new Semaphore(MAX_CALLS);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();
    private final Instant started = Instant.now();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private volatile Instant lastCall = Instant.now();
    /** How it names itself in its log and answers. */
    private final String name = "gitcrq CLI daemon " + ProcessHandle.current().pid();

    private CliDaemon(Path socket, Duration idle, UserPrincipal owner, FileChannel lockFile, FileLock lock)
            throws IOException {
        this.socket = socket;
        this.idle = idle;
        this.owner = owner;
        this.lockFile = lockFile;
        this.lock = lock;
        Files.deleteIfExists(socket); // left by a daemon that died: the lock says none runs
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, OWNER_ONLY_FILE);
        this.socketKey = socketKey().orElseThrow(() -> new IOException(socket + " is gone after binding it"));
        this.calls = Executors.newCachedThreadPool(OwnerOnlyDirectory.daemonThreads("gitcrq-cli-call"));
        this.watch = Executors.newSingleThreadScheduledExecutor(OwnerOnlyDirectory.daemonThreads("gitcrq-cli-watch"));
    }

    /**
     * Starts a daemon on {@code socket}, or returns empty when another daemon holds the directory's lock (it runs, or
     * is starting). The directory must be its user's own and closed to others.
     */
    public static Optional<CliDaemon> start(Path socket, Duration idle) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        UserPrincipal owner = OwnerOnlyDirectory.checkedOwner(dir);
        FileChannel lockFile = FileChannel.open(
                dir.resolve("cli-daemon.lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by a daemon of this JVM
        }
        if (lock == null) {
            lockFile.close();
            return Optional.empty();
        }
        try {
            CliDaemon daemon = new CliDaemon(socket.toAbsolutePath(), idle, owner, lockFile, lock);
            daemon.watch.scheduleWithFixedDelay(daemon::checkStillWanted, 2, 2, TimeUnit.SECONDS);
            return Optional.of(daemon);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CliDaemon SOCKET [IDLE_MINUTES]");
            System.exit(2);
        }
        Duration idle = args.length == 2 ? Duration.ofMinutes(Long.parseLong(args[1])) : DEFAULT_IDLE;
        Optional<CliDaemon> started;
        try {
            started = start(Path.of(args[0]), idle);
        } catch (IOException | IllegalStateException e) {
            System.err.println(Instant.now() + " gitcrq CLI daemon cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (started.isEmpty()) {
            System.out.println(Instant.now() + " gitcrq CLI daemon: another one serves " + args[0]);
            return;
        }
        try (CliDaemon daemon = started.get()) {
            System.out.println(Instant.now() + " " + daemon.name + " serves " + args[0] + " (stops after "
                    + idle.toMinutes() + " idle minutes)");
            String reason = daemon.serve();
            System.out.println(Instant.now() + " " + daemon.name + " stops: " + reason);
        }
    }

    /** Accepts and serves connections until stopped; returns why it stopped. */
    public String serve() {
        while (true) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return Objects.requireNonNullElse(stopReason.get(), "closed");
            } catch (IOException e) {
                stop("cannot accept: " + e.getMessage());
                return stopReason.get();
            }
            lastCall = Instant.now();
            if (!slots.tryAcquire()) {
                answerBusy(connection);
                continue;
            }
            running.incrementAndGet();
            calls.execute(() -> {
                try {
                    handle(connection);
                } finally {
                    Thread.interrupted(); // a caller's hang-up must not reach the next call on this thread
                    lastCall = Instant.now();
                    served.incrementAndGet();
                    running.decrementAndGet();
                    slots.release();
                }
            });
        }
    }

    /** Stops accepting; calls under way finish (at most a minute more). */
    public void stop(String reason) {
        if (stopReason.compareAndSet(null, reason)) {
            try {
                server.close();
            } catch (IOException e) {
                // closing a listening socket does not fail in a way that matters here
            }
        }
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        stop("closed");
        watch.shutdownNow();
        calls.shutdown();
        try {
            calls.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsSocket()) {
            Files.deleteIfExists(socket);
        }
        lock.release();
        lockFile.close();
    }

    private void handle(SocketChannel connection) {
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
                    exchange.answer(name + " on " + socket + ", since " + started + ": commands run: " + commands.get()
                            + ", connections: " + served.get() + ", under way: " + (running.get() - 1) + "\n");
                case "/stop" -> {
                    exchange.answer(name + " stops\n");
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

    private void answerBusy(SocketChannel connection) {
        try (connection) {
            DaemonExchange exchange = DaemonExchange.over(connection);
            if (fromOwner(connection) && exchange.read() != null) {
                exchange.fallback(MAX_CALLS + " calls under way");
            }
        } catch (IOException | IllegalArgumentException e) {
            // the script falls back when it gets no answer from a daemon that is there
        }
    }

    /** Stops when the socket is no longer this daemon's, or after {@code idle} without a call. */
    private void checkStillWanted() {
        if (!ownsSocket()) {
            stop("its socket was removed or replaced");
        } else if (running.get() == 0
                && Duration.between(lastCall, Instant.now()).compareTo(idle) > 0) {
            stop("idle for " + idle.toMinutes() + " minutes");
        }
    }

    /** Whether the socket's path still names the socket this daemon bound (not removed, not another's). */
    private boolean ownsSocket() {
        return socketKey().map(socketKey::equals).orElse(false);
    }

    private Optional<Object> socketKey() {
        try {
            return Optional.ofNullable(
                    Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
