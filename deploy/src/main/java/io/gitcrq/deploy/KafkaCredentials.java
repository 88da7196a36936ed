package io.gitcrq.deploy;

import io.gitcrq.model.event.TopicAccess;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local platform's Kafka credentials: one SCRAM password per principal (the broker's administrator and each
 * service), generated on first use into {@code <run-dir>/kafka-credentials.properties}, readable by its owner only. The
 * broker reads the file (kafka-broker's {@code BrokerCredentials}, same format: {@code <principal>=<password>}); each
 * service gets only its own password, in its environment ({@code GITCRQ_KAFKA_PASSWORD}).
 */
public final class KafkaCredentials {

    /** The broker's super user, as kafka-broker's {@code BrokerCredentials.ADMIN} names it. */
    public static final String ADMIN = "kafka-admin";

    static final String FILE_NAME = "kafka-credentials.properties";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties passwords;

    private KafkaCredentials(Path file, Properties passwords) {
        this.file = file;
        this.passwords = passwords;
    }

    /** The run directory's credentials; a principal without a password gets a new random one, stored at once. */
    public static synchronized KafkaCredentials ofRunDir(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        Properties passwords = new Properties();
        try {
            Files.createDirectories(runDir);
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    passwords.load(in);
                }
            }
            List<String> principals = Stream.concat(Stream.of(ADMIN), TopicAccess.SERVICES.stream())
                    .toList();
            boolean added = false;
            for (String principal : principals) {
                if (passwords.getProperty(principal, "").isEmpty()) {
                    byte[] bytes = new byte[24];
                    RANDOM.nextBytes(bytes);
                    passwords.setProperty(principal, HexFormat.of().formatHex(bytes));
                    added = true;
                }
            }
            if (added || !Files.exists(file)) {
                StringWriter text = new StringWriter();
                passwords.store(text, "gitcrq's local Kafka credentials (SCRAM-SHA-512); keep private");
                PrivateFiles.write(file, text.toString());
            }
            PrivateFiles.restrict(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the Kafka credentials in " + file, e);
        }
        return new KafkaCredentials(file, passwords);
    }

    public Path file() {
        return file;
    }

    public String password(String principal) {
        String password = passwords.getProperty(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal " + principal);
        }
        return password;
    }

    /** What a Kafka client needs to authenticate as the principal, besides the broker's address. */
    public Map<String, Object> clientConfig(String principal) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                        + "\" password=\"" + password(principal) + "\";");
    }

    @Override
    public String toString() {
        return "KafkaCredentials(" + file + ")"; // never the passwords
    }
}
