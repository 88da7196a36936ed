package io.gitcrq.audit.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's effective Linux capabilities, which the programs it starts inherit when it is root or has them ambient. */
final class Capabilities {

    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    private Capabilities() {}

    /** Whether every one of {@code caps} is effective (false when /proc cannot say). */
    static boolean effective(int... caps) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    for (int cap : caps) {
                        if ((effective >>> cap & 1) == 0) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
