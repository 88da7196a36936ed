package io.gitcrq.cli.resident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of a resident process of the CLI (the resident CLI, the hook runner): it holds its directory's lock,
 * serves each connection on a thread of its own with at most {@code maxCalls} at once, checks every two seconds
 * whether it is still wanted (the subclass's reasons, and {@code idle} without a call), and when closed lets the calls
 * under way finish, forgets its address and releases the lock. Its log says when it started and stopped, never what a
 * caller sent.
 *
 * @param <C> a connection, as the subclass's listener accepts it
 */
public abstract class ResidentServer<C extends AutoCloseable> implements AutoCloseable {

    private static final Duration DEFAULT_IDLE = Duration.ofMinutes(60);

    private final String name;
    private final DirectoryLock lock;
    private final Duration idle;
    private final ExecutorService calls;
    private final ScheduledExecutorService watch;
    private final Semaphore slots;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final Instant started = Instant.now();
    private volatile Instant lastCall = Instant.now();

    /**
     * @param what what it is, for its log and answers ({@code gitcrq hook runner}); its pid is added
     * @param threads the prefix of its threads' names
     */
    protected ResidentServer(String what, DirectoryLock lock, Duration idle, int maxCalls, String threads) {
        this.name = what + " " + ProcessHandle.current().pid();
        this.lock = lock;
        this.idle = idle;
        this.slots = new Semaphore(maxCalls);
        this.calls = Executors.newCachedThreadPool(daemonThreads(threads + "-call"));
        this.watch = Executors.newSingleThreadScheduledExecutor(daemonThreads(threads + "-watch"));
    }

    /** The next connection; an exception once the listener is closed. */
    protected abstract C accept() throws IOException;

    /** Serves one connection (on a thread of its own) and closes it. */
    protected abstract void handle(C connection);

    /** A connection beyond the calls allowed at once: answered that way, or just closed; either way closed. */
    protected abstract void busy(C connection);

    /** Closes the listener, so that {@link #accept} fails. */
    protected abstract void closeListener();

    /** Why it is not wanted any more, beside idleness (its socket or address file gone, its jar changed). */
    protected abstract Optional<String> unwantedBecause();

    /** Removes what callers find it by (a socket, an address file) where that is still its own. */
    protected abstract void forgetAddress() throws IOException;

    /** Where it is reached, for its log. */
    protected abstract String address();

    /** Counts for its log's last line, after the reason it stopped ({@code "; 3 hooks run"}); empty by default. */
    protected String summary() {
        return "";
    }

    private void watchWhetherStillWanted() {
        watch.scheduleWithFixedDelay(this::checkStillWanted, 2, 2, TimeUnit.SECONDS);
    }

    /** Accepts and serves connections until stopped; returns why it stopped. */
    public final String serve() {
        while (true) {
            C connection;
            try {
                connection = accept();
            } catch (IOException e) {
                stop("cannot accept: " + e.getMessage()); // kept when it was closed on purpose
                return Objects.requireNonNull(stopReason.get());
            }
            lastCall = Instant.now();
            if (!slots.tryAcquire()) {
                busy(connection);
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
    public final void stop(String reason) {
        if (stopReason.compareAndSet(null, reason)) {
            closeListener();
        }
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
        forgetAddress();
        lock.close();
    }

    /** How it names itself in its log and answers: what it is and its pid. */
    public final String name() {
        return name;
    }

    protected final Instant started() {
        return started;
    }

    /** Connections served to their end. */
    protected final int connectionsServed() {
        return served.get();
    }

    /** Connections being served now. */
    protected final int underWay() {
        return running.get();
    }

    /** A caller proved who it is: the idle time counts from now. */
    protected final void calledNow() {
        lastCall = Instant.now();
    }

    private void checkStillWanted() {
        Optional<String> unwanted = unwantedBecause();
        if (unwanted.isPresent()) {
            stop(unwanted.get());
        } else if (running.get() == 0
                && Duration.between(lastCall, Instant.now()).compareTo(idle) > 0) {
            stop("idle for " + idle.toMinutes() + " minutes");
        }
    }

    /** Threads named {@code name} that end with the JVM instead of keeping it alive. */
    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The identity of {@code file} (device and inode), empty when there is none: a file replaced gets another. */
    protected static Optional<Object> fileKey(Path file) {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Builds a resident process once its directory was checked (its owner) and it holds the directory's lock. */
    @FunctionalInterface
    protected interface Builder<S> {
        S build(UserPrincipal owner, DirectoryLock lock) throws IOException;
    }

    /**
     * Checks that {@code dir} is its user's own and closed to others ({@link OwnerOnlyDirectory}), takes the lock
     * {@code lockName} in it and builds the process, which then watches whether it is still wanted; empty when another
     * process holds the lock (it runs, or is starting). The lock is released if the build fails.
     */
    protected static <S extends ResidentServer<?>> Optional<S> startLocked(
            Path dir, String lockName, Builder<S> builder) throws IOException {
        UserPrincipal owner = OwnerOnlyDirectory.checkedOwner(dir);
        Optional<DirectoryLock> lock = DirectoryLock.tryTake(dir, lockName);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            S server = builder.build(owner, lock.get());
            ((ResidentServer<?>) server).watchWhetherStillWanted(); // private: not reachable through S
            return Optional.of(server);
        } catch (IOException | RuntimeException e) {
            lock.get().close();
            throw e;
        }
    }

    /** How a resident process of one kind is started on a path (its socket, its directory) for {@link #run}. */
    @FunctionalInterface
    protected interface Starter {
        Optional<? extends ResidentServer<?>> start(Path path, Duration idle) throws IOException;
    }

    /**
     * The {@code main} of a resident process: {@code PATH [IDLE_MINUTES]}; starts it, or says that another one serves
     * the path, serves until it stops, and logs both.
     */
    protected static void run(String what, String usage, String[] args, Starter starter) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        Duration idle = args.length == 2 ? Duration.ofMinutes(Long.parseLong(args[1])) : DEFAULT_IDLE;
        Optional<? extends ResidentServer<?>> started;
        try {
            started = starter.start(Path.of(args[0]), idle);
        } catch (IOException | IllegalStateException e) {
            System.err.println(Instant.now() + " " + what + " cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (started.isEmpty()) {
            System.out.println(Instant.now() + " " + what + ": another one serves " + args[0]);
            return;
        }
        try (ResidentServer<?> server = started.get()) {
            System.out.println(Instant.now() + " " + server.name() + " serves " + server.address() + " (stops after "
                    + idle.toMinutes() + " idle minutes)");
            String reason = server.serve();
            System.out.println(Instant.now() + " " + server.name() + " stops: " + reason + server.summary());
        }
    }
}
