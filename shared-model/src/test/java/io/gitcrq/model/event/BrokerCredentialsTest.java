package io.gitcrq.model.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

    @TempDir
    Path runDir;

    @Test
    void generatesOnePrivatePasswordPerPrincipalOnceAndKeepsThem() throws Exception {
        Path file = runDir.resolve("kafka-credentials.properties");
        BrokerCredentials first = BrokerCredentials.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Set<String> passwords = new HashSet<>();
        BrokerCredentials.principals().forEach(p -> passwords.add(first.password(p)));
        assertThat(BrokerCredentials.principals())
                .contains(BrokerCredentials.ADMIN, TopicAccess.CRQ_SERVICE)
                .doesNotContain(TopicAccess.EXEC_AGENT)
                .hasSize(TopicAccess.SERVICES.size());
        assertThat(passwords)
                .hasSize(TopicAccess.SERVICES.size())
                .allSatisfy(p -> assertThat(p).hasSize(48));

        BrokerCredentials again = BrokerCredentials.loadOrCreate(file);
        assertThat(again.password(TopicAccess.MERGE_BOT)).isEqualTo(first.password(TopicAccess.MERGE_BOT));
        assertThat(BrokerCredentials.load(file).passwords()).isEqualTo(first.passwords());
        assertThat(again.toString()).doesNotContain(first.password(BrokerCredentials.ADMIN));
        assertThat((String) again.clientConfig(TopicAccess.MERGE_BOT).get("sasl.jaas.config"))
                .contains("username=\"merge-bot\" password=\"" + first.password(TopicAccess.MERGE_BOT) + "\"");
    }

    @Test
    void eachExecAgentHostGetsAPasswordOfItsOwnKeptAcrossLoads() throws Exception {
        Path file = runDir.resolve("kafka-credentials.properties");
        BrokerCredentials first = BrokerCredentials.loadOrCreate(file, "host-a");
        BrokerCredentials second = BrokerCredentials.loadOrCreate(file, "host-b");

        assertThat(second.execAgentHosts()).containsExactly("host-a", "host-b");
        assertThat(second.password("exec-agent-host-a")).isEqualTo(first.password("exec-agent-host-a"));
        assertThat(second.password("exec-agent-host-b")).hasSize(48).isNotEqualTo(first.password("exec-agent-host-a"));
        assertThat(BrokerCredentials.load(file).execAgentHosts()).containsExactly("host-a", "host-b");

        BrokerCredentials withC = second.withExecAgentHost("host-c");
        assertThat(withC.execAgentHosts()).containsExactly("host-a", "host-b", "host-c");
        assertThat(withC.withExecAgentHost("host-c").password("exec-agent-host-c"))
                .isEqualTo(withC.password("exec-agent-host-c"));
        assertThat(withC.withoutExecAgentHost("host-a").execAgentHosts()).containsExactly("host-b", "host-c");
        assertThat(second.execAgentHosts()).as("unchanged").containsExactly("host-a", "host-b");
    }

    @Test
    void givesAPrincipalMissingFromAnOlderFileAPasswordAndMakesTheFilePrivate() throws Exception {
        Path file = runDir.resolve("kafka-credentials.properties");
        Files.writeString(file, "kafka-admin=old-admin-password\nexec-agent=the-shared-one-of-earlier-versions\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(file);

        assertThat(credentials.password(BrokerCredentials.ADMIN)).isEqualTo("old-admin-password");
        Properties stored = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            stored.load(in);
        }
        assertThat(stored.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(BrokerCredentials.principals());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
