package io.gitcrq.model.event;

import io.gitcrq.model.files.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The SCRAM passwords of the broker's principals: its administrator ({@link #ADMIN}, the super user the broker
 * itself and its tools act as), one per central service ({@code User:<service>}, see {@link TopicAccess}) and one per
 * exec-agent host ({@code User:exec-agent-<host>}, {@link TopicAccess#execAgentPrincipal}). Stored as a
 * properties file {@code <principal>=<password>} that only its owner may read ({@code ./gitcrq up} keeps it in
 * {@code .gitcrq-run/}; each service gets only its own password, in its environment); never logged.
 */
public final class BrokerCredentials {

    /** The broker's super user. */
    public static final String ADMIN = "kafka-admin";

    /** The SASL mechanism clients authenticate with. */
    public static final String SCRAM = "SCRAM-SHA-512";

    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwords;

    private BrokerCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * The principals every broker has: the administrator and every central service (exec-agent's are per host, see
     * {@link #execAgentHosts}).
     */
    public static List<String> principals() {
        return Stream.concat(
                        Stream.of(ADMIN), TopicAccess.SERVICES.stream().filter(s -> !s.equals(TopicAccess.EXEC_AGENT)))
                .toList();
    }

    /** New random passwords for the administrator, every central service and the exec-agent of each host. */
    public static BrokerCredentials generate(String... execAgentHosts) {
        Map<String, String> passwords = new LinkedHashMap<>();
        principals(List.of(execAgentHosts)).forEach(p -> passwords.put(p, randomPassword()));
        return new BrokerCredentials(passwords);
    }

    /** Reads a credentials file; it must name the administrator and every central service. */
    public static BrokerCredentials load(Path file) {
        BrokerCredentials credentials = new BrokerCredentials(asMap(read(file)));
        principals().forEach(credentials::password);
        return credentials;
    }

    /**
     * The credentials in {@code file}, made first if there is none; a principal without a password (a service or a
     * host added since) gets a new random one, stored at once, and a name that is no principal is dropped. The file is
     * left readable by its owner alone.
     */
    public static synchronized BrokerCredentials loadOrCreate(Path file, String... execAgentHosts) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Properties stored = Files.exists(file) ? read(file) : new Properties();
            // A name that is no principal any more (exec-agent's one shared principal of earlier versions) goes: the
            // broker deletes credentials the file does not name.
            boolean changed = stored.keySet()
                    .removeIf(name -> !principals().contains(String.valueOf(name))
                            && TopicAccess.execAgentHost(String.valueOf(name)).isEmpty());
            for (String principal : principals(List.of(execAgentHosts))) {
                if (stored.getProperty(principal, "").isEmpty()) {
                    stored.setProperty(principal, randomPassword());
                    changed = true;
                }
            }
            if (changed) {
                StringWriter text = new StringWriter();
                stored.store(text, "gitcrq's Kafka credentials (SCRAM-SHA-512); keep private");
                AtomicFiles.replacePrivate(file, text.toString());
            }
            AtomicFiles.restrict(file);
            return new BrokerCredentials(asMap(stored));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka credentials in " + file, e);
        }
    }

    private static List<String> principals(List<String> execAgentHosts) {
        return Stream.concat(principals().stream(), execAgentHosts.stream().map(TopicAccess::execAgentPrincipal))
                .distinct()
                .toList();
    }

    /** The hosts whose exec-agents have a principal here ({@code exec-agent-<host>}). */
    public Set<String> execAgentHosts() {
        Set<String> hosts = new TreeSet<>();
        passwords.keySet().forEach(p -> TopicAccess.execAgentHost(p).ifPresent(hosts::add));
        return hosts;
    }

    /** These credentials and, if it has none yet, a new random password for the exec-agent of {@code host}. */
    public BrokerCredentials withExecAgentHost(String host) {
        Map<String, String> more = new LinkedHashMap<>(passwords);
        more.putIfAbsent(TopicAccess.execAgentPrincipal(host), randomPassword());
        return new BrokerCredentials(more);
    }

    /** These credentials without the exec-agent of {@code host}. */
    public BrokerCredentials withoutExecAgentHost(String host) {
        Map<String, String> fewer = new LinkedHashMap<>(passwords);
        fewer.remove(TopicAccess.execAgentPrincipal(host));
        return new BrokerCredentials(fewer);
    }

    /** Every principal's name and password. */
    public Map<String, String> passwords() {
        return passwords;
    }

    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no Kafka password for " + principal);
        }
        return password;
    }

    /** What a Kafka client needs to authenticate as the principal (SASL SCRAM-SHA-512), besides its address. */
    public Map<String, Object> clientConfig(String principal) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                SCRAM,
                "sasl.jaas.config",
                jaas(SCRAM_LOGIN, principal));
    }

    /** A JAAS line that logs in as the principal with {@code loginModule}. */
    public String jaas(String loginModule, String principal) {
        return loginModule + " required username=\"" + principal + "\" password=\"" + password(principal) + "\";";
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka credentials " + file, e);
        }
        return p;
    }

    private static Map<String, String> asMap(Properties p) {
        Map<String, String> passwords = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(name -> passwords.put(name, p.getProperty(name)));
        return passwords;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "BrokerCredentials" + passwords.keySet(); // never the passwords
    }
}
