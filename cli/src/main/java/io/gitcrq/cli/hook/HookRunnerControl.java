package io.gitcrq.cli.hook;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code gitcrq hooks runner}: asks the resident hook runner of a directory how it does, or stops it, speaking to it as
 * the hook script does (the tokens of its address file first, then the request).
 */
public final class HookRunnerControl {

    private HookRunnerControl() {}

    /** The runner's status line; empty when no runner answers in {@code dir}. */
    public static Optional<String> status(Path dir) {
        try {
            String answer = call(dir, List.of("V:1", "C:" + dir.toAbsolutePath()));
            return answer.startsWith("X:0\0") ? Optional.of(answer.substring(4).strip()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the runner of {@code dir} (its address file removed, which it notices within two seconds) and waits until
     * it closed its port; false when none ran.
     */
    public static boolean stop(Path dir, Duration wait) throws IOException, InterruptedException {
        Path address = dir.resolve(HookDaemon.ADDRESS_FILE);
        int port;
        try {
            port = Integer.parseInt(
                    Files.readAllLines(address, StandardCharsets.US_ASCII).get(0));
        } catch (NoSuchFileException e) {
            return false;
        } catch (RuntimeException e) {
            throw new IOException("the address file in " + dir + " is not a runner's", e);
        }
        Files.deleteIfExists(address);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(100); // still listening
            } catch (ConnectException e) {
                return true;
            }
        }
        throw new IOException("the hook runner in " + dir + " did not stop within " + wait.toSeconds() + " s");
    }

    /** One call with the tokens of the runner's address file; the runner's whole answer. */
    static String call(Path dir, List<String> fields) throws IOException {
        List<String> address;
        try {
            address = Files.readAllLines(dir.resolve(HookDaemon.ADDRESS_FILE), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("no hook runner in " + dir, e);
        }
        if (address.size() < 3) {
            throw new IOException("the address file in " + dir + " is incomplete");
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(address.get(0)))) {
            socket.setSoTimeout((int) HookDaemon.CALLER_TIMEOUT.toMillis());
            socket.getOutputStream().write(("T:" + address.get(1) + "\0").getBytes(StandardCharsets.US_ASCII));
            byte[] expected = ("S:" + address.get(2) + "\0").getBytes(StandardCharsets.US_ASCII);
            InputStream in = socket.getInputStream();
            if (!Arrays.equals(in.readNBytes(expected.length), expected)) {
                throw new IOException("what listens on port " + address.get(0) + " is not the hook runner");
            }
            StringBuilder request = new StringBuilder();
            fields.forEach(field -> request.append(field).append('\0'));
            request.append('\0');
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
