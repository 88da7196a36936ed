package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.TopicAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaCredentialsTest {

    @TempDir
    Path runDir;

    @Test
    void generatesOnePrivatePasswordPerPrincipalOnceAndKeepsThem() throws Exception {
        KafkaCredentials first = KafkaCredentials.ofRunDir(runDir);
        Path file = runDir.resolve("kafka-credentials.properties");
        assertThat(first.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Set<String> passwords = new HashSet<>();
        passwords.add(first.password(KafkaCredentials.ADMIN));
        TopicAccess.SERVICES.forEach(s -> passwords.add(first.password(s)));
        assertThat(passwords)
                .hasSize(TopicAccess.SERVICES.size() + 1)
                .allSatisfy(p -> assertThat(p).hasSize(48));

        KafkaCredentials again = KafkaCredentials.ofRunDir(runDir);
        assertThat(again.password(TopicAccess.MERGE_BOT)).isEqualTo(first.password(TopicAccess.MERGE_BOT));
        assertThat(again.toString()).doesNotContain(first.password(KafkaCredentials.ADMIN));
        assertThat((String) again.clientConfig(TopicAccess.MERGE_BOT).get("sasl.jaas.config"))
                .contains("username=\"merge-bot\" password=\"" + first.password(TopicAccess.MERGE_BOT) + "\"");
    }
}
