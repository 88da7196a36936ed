package io.gitcrq.execagent.config;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives {@code gitcrq.exec.host} its default, the machine's host name, which plain properties cannot
 * compute. It is needed as configuration (not only in code) because the consumer group's name is built
 * from it: {@code exec-agent-<host>}. application.properties and the environment
 * ({@code GITCRQ_EXEC_HOST}) still override it.
 */
public class LocalHostConfigSource implements ConfigSource {

    public static final String HOST = "gitcrq.exec.host";

    private final Map<String, String> properties = Map.of(HOST, localHostName());

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public String getName() {
        return "gitcrq-exec-local-host";
    }

    @Override
    public int getOrdinal() {
        // Above the kit's shared defaults (100), below application.properties (250) and the environment.
        return 150;
    }

    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
