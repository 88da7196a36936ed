package io.gitcrq.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./gitcrq up [--instances N] | down [--purge] | status}: the local platform, started in the background, with its process ids
 * in {@code .gitcrq-run/platform.pids} so that a later {@code down} stops exactly what {@code up} started (and the tmux
 * server of its panes); {@code down --purge} also removes its databases, their replication slots and the run directory.
 */
public final class PlatformLauncher {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final String USAGE = "usage: ./gitcrq up [--instances N] | down [--purge] | status";

    private PlatformLauncher() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        PlatformSettings settings = PlatformSettings.local(root);
        String command = args.length > 0 ? args[0] : "status";
        List<String> flags = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Optional<Integer> instances = instances(command, flags);
        if (!flags.isEmpty() && !(command.equals("down") && flags.equals(List.of("--purge"))) && instances.isEmpty()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        if (instances.isPresent()) {
            settings = settings.withInstances(instances.get());
        }
        int rc = switch (command) {
            case "up" -> up(settings);
            case "down" -> down(settings, flags.contains("--purge"));
            case "status" -> status(settings);
            default -> {
                System.err.println("usage: PlatformLauncher up|down [--purge]|status [repo-root]");
                yield 2;
            }
        };
        System.exit(rc);
    }

    /** {@code up --instances N} (N in 1..9); empty for anything else. */
    static Optional<Integer> instances(String command, List<String> flags) {
        if (!command.equals("up") || flags.size() != 2 || !flags.get(0).equals("--instances")) {
            return Optional.empty();
        }
        String n = flags.get(1);
        return n.matches("[1-9]") ? Optional.of(Integer.parseInt(n)) : Optional.empty();
    }

    static int up(PlatformSettings settings) throws IOException {
        if (!runningPids(settings).isEmpty()) {
            System.out.println("gitcrq is already running (./gitcrq status; ./gitcrq down to stop it)");
            return status(settings);
        }
        Platform platform = new Platform(settings);
        try {
            if (settings.database().embedded()) {
                // GITCRQ_DB=embedded, or it is unset and no server answered at GITCRQ_DB_HOST:GITCRQ_DB_PORT.
                System.out.println("starting " + settings.database().describe() + " (data in "
                        + settings.runDir().resolve("postgres")
                        + "; GITCRQ_DB_HOST=… GITCRQ_DB=external for another) …");
                platform.startDatabase(READY_TIMEOUT);
            }
            System.out.println("starting Kafka on " + platform.kafkaBootstrap() + " …");
            platform.startBroker(READY_TIMEOUT);
            for (ServiceSpec spec : ServiceSpec.ALL) {
                platform.start(spec.name());
            }
            writePids(settings, platform);
            for (ServiceSpec spec : ServiceSpec.ALL) {
                System.out.println("waiting for " + spec.name() + " …");
                platform.awaitReady(spec.name(), READY_TIMEOUT);
            }
            if (settings.instances() > 1) {
                System.out.println("starting " + (settings.instances() - 1) + " more instance(s) of each"
                        + " consumer-group service …");
                platform.startMoreInstances(READY_TIMEOUT);
                writePids(settings, platform);
            }
            platform.registerAuditHostKey();
        } catch (RuntimeException e) {
            System.err.println("gitcrq did not start: " + e.getMessage());
            platform.close();
            Files.deleteIfExists(pidFile(settings));
            Files.deleteIfExists(archiveRecordingsFile(settings));
            return 1;
        }
        System.out.println();
        System.out.println("gitcrq is up. Logs: " + settings.logDir());
        printUrls(platform);
        return 0;
    }

    private static void printUrls(Platform platform) {
        System.out.println(
                "  Database         " + platform.settings().database().describe());
        System.out.println("  Kafka            " + platform.kafkaBootstrap() + "   (SASL SCRAM-SHA-512"
                + platform.kafkaTls()
                        .map(tls -> " over TLS, broker certificate " + tls.certificate())
                        .orElse("")
                + "; credentials in " + platform.kafkaCredentialsFile() + ")");
        for (String instance : platform.instances()) {
            System.out.printf(
                    "  %-18s %s   (health %s/q/health)%n", instance, platform.url(instance), platform.url(instance));
        }
        if (platform.instances().contains("mcp-server")) {
            System.out.println("  MCP for agents     " + platform.url("mcp-server")
                    + "/mcp   (Streamable HTTP, as the caller: docs/guide/mcp.md)");
        }
        System.out.println(
                "Console: " + platform.url("console") + "/   (sign in as alice, bob or admin; password = name)");
        System.out.println(
                "Try: ./gitcrq --user alice crq list    (dev users alice, dave, bob, admin; password = name)");
        System.out.println("Stop: ./gitcrq down");
    }

    static int down(PlatformSettings settings, boolean purge) throws IOException {
        Map<String, Long> pids = readPids(settings);
        Map<String, ClassDataArchive.Recording> recordings = readArchiveRecordings(settings);
        List<String> names = new ArrayList<>(pids.keySet());
        java.util.Collections.reverse(names);
        // The services all at once (as Platform.close: each takes seconds to leave its consumer groups), then the
        // broker, the database last.
        names.sort(java.util.Comparator.comparingInt(name -> Platform.isServiceInstance(name) ? 0 : 1));
        List<String> signalled = new ArrayList<>();
        for (String name : names) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pids.get(name));
            if (Platform.isServiceInstance(name)
                    && handle.isPresent()
                    && handle.get().isAlive()) {
                handle.get().destroy();
                signalled.add(name);
            }
        }
        for (String name : names) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pids.get(name));
            // A service gone by now ended on the SIGTERM it was sent.
            boolean clean = signalled.contains(name);
            if (handle.isPresent() && handle.get().isAlive()) {
                if (!signalled.contains(name)) {
                    handle.get().destroy(); // the broker's and the database's turn
                }
                try {
                    handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    clean = true;
                } catch (Exception e) {
                    handle.get().destroyForcibly();
                    clean = false;
                }
                System.out.println("stopped " + name);
            } else if (signalled.contains(name)) {
                System.out.println("stopped " + name);
            }
            ClassDataArchive.Recording recording = recordings.get(name);
            if (recording != null) {
                recording.ended(clean); // stopped cleanly: it wrote its class-data archive at exit
            }
        }
        Files.deleteIfExists(pidFile(settings));
        Files.deleteIfExists(archiveRecordingsFile(settings));
        PlatformPurge.stopTmuxServer(settings);
        if (purge) {
            PlatformPurge purging = new PlatformPurge(settings, DatabaseServer.user());
            for (String removed : purging.purge()) {
                System.out.println("removed " + removed);
            }
        }
        return 0;
    }

    static int status(PlatformSettings settings) throws IOException {
        Platform platform = new Platform(settings);
        Map<String, Long> pids = readPids(settings);
        if (pids.isEmpty()) {
            System.out.println("gitcrq is not running (./gitcrq up starts it)");
            return 3;
        }
        boolean allUp = true;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            boolean alive =
                    ProcessHandle.of(e.getValue()).map(ProcessHandle::isAlive).orElse(false);
            String health = "";
            if (Platform.isServiceInstance(e.getKey())) {
                String url = platform.url(e.getKey());
                int code = Platform.httpStatus(url + "/q/health/ready");
                health = url + "  " + (code == 200 ? "ready" : "not ready (" + code + ")");
                allUp &= code == 200;
            }
            allUp &= alive;
            System.out.printf(
                    "  %-18s pid %-8d %-8s %s%n", e.getKey(), e.getValue(), alive ? "running" : "stopped", health);
        }
        return allUp ? 0 : 1;
    }

    private static Map<String, Long> runningPids(PlatformSettings settings) throws IOException {
        Map<String, Long> pids = readPids(settings);
        pids.values()
                .removeIf(pid ->
                        !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pids;
    }

    private static Path pidFile(PlatformSettings settings) {
        return settings.runDir().resolve("platform.pids");
    }

    /** Between a recording's file and its class path in {@link #archiveRecordingsFile}. */
    private static final char RECORDING_SEPARATOR = '\t';

    /** The class-data archives the services record at exit ({@link Platform#archiveRecordings}), for down. */
    private static Path archiveRecordingsFile(PlatformSettings settings) {
        return settings.runDir().resolve("platform.archive-recordings");
    }

    private static void writePids(PlatformSettings settings, Platform platform) throws IOException {
        Files.createDirectories(settings.runDir());
        writeNamed(pidFile(settings), platform.pids());
        Map<String, String> recordings = new java.util.LinkedHashMap<>();
        platform.archiveRecordings()
                .forEach((name, r) -> recordings.put(name, r.file().toString() + RECORDING_SEPARATOR + r.classPath()));
        writeNamed(archiveRecordingsFile(settings), recordings);
    }

    private static Map<String, ClassDataArchive.Recording> readArchiveRecordings(PlatformSettings settings)
            throws IOException {
        Map<String, ClassDataArchive.Recording> recordings = new java.util.LinkedHashMap<>();
        readNamed(archiveRecordingsFile(settings)).forEach((name, value) -> {
            int tab = value.indexOf(RECORDING_SEPARATOR);
            if (tab > 0) {
                recordings.put(
                        name,
                        new ClassDataArchive.Recording(Path.of(value.substring(0, tab)), value.substring(tab + 1)));
            }
        });
        return recordings;
    }

    private static void writeNamed(Path file, Map<String, ?> values) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text.toString());
    }

    private static Map<String, Long> readPids(PlatformSettings settings) throws IOException {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        readNamed(pidFile(settings)).forEach((name, pid) -> pids.put(name, Long.parseLong(pid.trim())));
        return pids;
    }

    private static Map<String, String> readNamed(Path file) throws IOException {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
