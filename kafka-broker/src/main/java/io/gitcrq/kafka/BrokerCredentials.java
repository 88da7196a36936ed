package io.gitcrq.kafka;

import io.gitcrq.model.event.TopicAccess;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The SCRAM passwords of the broker's principals: its administrator ({@link #ADMIN}, the super user the broker
 * itself and its tools act as) and one per service ({@code User:<service>}, see {@link TopicAccess}). Stored as a
 * properties file {@code <principal>=<password>} that only its owner may read ({@code ./gitcrq up} writes it into
 * {@code .gitcrq-run/}); never logged.
 */
public final class BrokerCredentials {

    /** The broker's super user. */
    public static final String ADMIN = "kafka-admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwords;

    private BrokerCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** New random passwords for the administrator and every service. */
    public static BrokerCredentials generate() {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, randomPassword());
        TopicAccess.SERVICES.forEach(s -> passwords.put(s, randomPassword()));
        return new BrokerCredentials(passwords);
    }

    /** Reads a credentials file; it must name the administrator and every service. */
    public static BrokerCredentials load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Kafka credentials " + file, e);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(name -> passwords.put(name, p.getProperty(name)));
        BrokerCredentials credentials = new BrokerCredentials(passwords);
        credentials.password(ADMIN);
        TopicAccess.SERVICES.forEach(credentials::password);
        return credentials;
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
                KafkaBroker.SCRAM,
                "sasl.jaas.config",
                jaas("org.apache.kafka.common.security.scram.ScramLoginModule", principal));
    }

    String jaas(String loginModule, String principal) {
        return loginModule + " required username=\"" + principal + "\" password=\"" + password(principal) + "\";";
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
