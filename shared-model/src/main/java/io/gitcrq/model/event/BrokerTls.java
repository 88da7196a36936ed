package io.gitcrq.model.event;

import io.gitcrq.model.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * TLS on the client listener of the broker gitcrq starts itself ({@code GITCRQ_KAFKA_TLS=1 ./gitcrq up}): the broker's
 * key pair with a self-signed certificate for {@code 127.0.0.1} and {@code localhost} in a PKCS#12 keystore, and that
 * certificate alone, as PEM, as what clients trust. Kept in one directory of the run directory: the keystore and its
 * password readable by their owner alone, the certificate by all (exec-agents on other hosts need it, never the key).
 * <p>
 * A deployment's broker (Strimzi, compose) brings its own certificates; services then only need the client side:
 * {@code GITCRQ_KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code KAFKA_SSL_TRUSTSTORE_TYPE=PEM} and
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION} (see docs/guide/operations.md).
 */
public final class BrokerTls {

    public static final String KEYSTORE = "broker.p12";
    public static final String CERTIFICATE = "broker-ca.pem";
    static final String PASSWORD = "broker-keystore.password";
    private static final String ALIAS = "gitcrq-kafka";
    /** keytool reads the store password from this variable of its environment, never from its command line. */
    private static final String PASSWORD_VARIABLE = "GITCRQ_KEYSTORE_PASSWORD";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String keystorePassword;

    private BrokerTls(Path directory, String keystorePassword) {
        this.directory = directory;
        this.keystorePassword = keystorePassword;
    }

    /**
     * The TLS material in {@code directory}, made first (by the JDK's keytool) if it is not all there: a directory
     * left half made by an interrupted start is made again whole, never used.
     */
    public static synchronized BrokerTls loadOrCreate(Path directory) {
        try {
            if (!complete(directory)) {
                create(directory);
            }
            return new BrokerTls(
                    directory, Files.readString(directory.resolve(PASSWORD)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka TLS material in " + directory, e);
        }
    }

    private static boolean complete(Path directory) {
        return Stream.of(KEYSTORE, CERTIFICATE, PASSWORD).allMatch(f -> Files.isRegularFile(directory.resolve(f)));
    }

    /** Made in a new directory beside the target, then moved into place: the target is whole or absent. */
    private static void create(Path directory) throws IOException {
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path draft = Files.createTempDirectory(
                parent,
                directory.getFileName() + ".new-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            String password = HexFormat.of().formatHex(randomBytes());
            Path passwordFile = AtomicFiles.createPrivate(draft.resolve(PASSWORD));
            Files.writeString(passwordFile, password + "\n");
            Path keystore = draft.resolve(KEYSTORE);
            keytool(
                    password,
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "825",
                    "-dname",
                    "CN=gitcrq local Kafka broker",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keystore.toString(),
                    "-storepass:env",
                    PASSWORD_VARIABLE);
            AtomicFiles.restrict(keystore);
            keytool(
                    password,
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    ALIAS,
                    "-keystore",
                    keystore.toString(),
                    "-storepass:env",
                    PASSWORD_VARIABLE,
                    "-file",
                    draft.resolve(CERTIFICATE).toString());
            Files.setPosixFilePermissions(draft.resolve(CERTIFICATE), PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rwxr-xr-x"));
            deleteTree(directory);
            Files.move(draft, directory, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(draft);
        }
    }

    private static void keytool(String password, String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(keytool.toString()), Stream.of(arguments))
                        .toList())
                .redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The directory the material is kept in. */
    public Path directory() {
        return directory;
    }

    /** The broker's certificate (PEM): what a client trusts. */
    public Path certificate() {
        return directory.resolve(CERTIFICATE);
    }

    /**
     * What a Kafka client needs, besides its SASL login, to reach the TLS listener and trust exactly this broker; the
     * host name check stays on (the certificate names 127.0.0.1 and localhost).
     */
    public Map<String, Object> clientConfig() {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", certificate().toString());
    }

    /** The broker's keystore settings for its listener {@code listener} (lower case, as Kafka prefixes them). */
    public Map<String, String> listenerConfig(String listener) {
        String prefix = "listener.name." + listener + ".";
        return Map.of(
                prefix + "ssl.keystore.type",
                "PKCS12",
                prefix + "ssl.keystore.location",
                directory.resolve(KEYSTORE).toString(),
                prefix + "ssl.keystore.password",
                keystorePassword,
                prefix + "ssl.enabled.protocols",
                "TLSv1.3,TLSv1.2");
    }

    /** The files of the material, for a test or an operator's check. */
    public List<Path> files() {
        return List.of(directory.resolve(KEYSTORE), certificate(), directory.resolve(PASSWORD));
    }

    @Override
    public String toString() {
        return "BrokerTls[" + directory + "]"; // never the password
    }
}
