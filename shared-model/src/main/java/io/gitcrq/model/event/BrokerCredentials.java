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
import java.util.stream.Stream;

/**
 * The SCRAM passwords of the broker's principals: its administrator ({@link #ADMIN}, the super user the broker
 * itself and its tools act as) and one per service ({@code User:<service>}, see {@link TopicAccess}). Stored as a
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

    /** The administrator and every service. */
    public static List<String> principals() {
        return Stream.concat(Stream.of(ADMIN), TopicAccess.SERVICES.stream()).toList();
    }

    /** New random passwords for the administrator and every service. */
    public static BrokerCredentials generate() {
        Map<String, String> passwords = new LinkedHashMap<>();
        principals().forEach(p -> passwords.put(p, randomPassword()));
        return new BrokerCredentials(passwords);
    }

    /** Reads a credentials file; it must name the administrator and every service. */
    public static BrokerCredentials load(Path file) {
        BrokerCredentials credentials = new BrokerCredentials(asMap(read(file)));
        principals().forEach(credentials::password);
        return credentials;
    }

    /**
     * The credentials in {@code file}, made first if there is none; a principal without a password (a service added
     * since) gets a new random one, stored at once. The file is left readable by its owner alone.
     */
    public static synchronized BrokerCredentials loadOrCreate(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Properties stored = Files.exists(file) ? read(file) : new Properties();
            boolean added = false;
            for (String principal : principals()) {
                if (stored.getProperty(principal, "").isEmpty()) {
                    stored.setProperty(principal, randomPassword());
                    added = true;
                }
            }
            if (added) {
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
