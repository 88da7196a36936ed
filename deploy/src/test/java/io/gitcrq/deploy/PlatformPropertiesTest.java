package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each service is given only the gitcrq.exec.* keys it maps (a mapping refuses a key of its prefix it does not know),
 * and the server that keeps its database.
 */
class PlatformPropertiesTest {

    private static final ServiceSpec CRQ_SERVICE = ServiceSpec.named("crq-service");
    private static final ServiceSpec EXEC_AGENT = ServiceSpec.named("exec-agent");
    private static final ServiceSpec MERGE_BOT = ServiceSpec.named("merge-bot");

    @Test
    void crqServiceGetsItsExecGrantKeysAndNoneOfTheAgents() {
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.exec.grant.signing-key-file"))
                .isTrue();
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.exec.allowed-roles")).isTrue();
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.exec.tmux-socket")).isFalse();
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.exec.projects.demo")).isFalse();
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.exec.grant.trusted-keys"))
                .isFalse();
        assertThat(Platform.readsKey(CRQ_SERVICE, "gitcrq.secrets.key-file")).isTrue();
    }

    @Test
    void execAgentGetsItsOwnKeysButNotCrqServicesSigningKey() {
        assertThat(Platform.readsKey(EXEC_AGENT, "gitcrq.exec.grant.trusted-keys"))
                .isTrue();
        assertThat(Platform.readsKey(EXEC_AGENT, "gitcrq.exec.tmux-socket")).isTrue();
        assertThat(Platform.readsKey(EXEC_AGENT, "gitcrq.exec.allowed-roles")).isTrue();
        assertThat(Platform.readsKey(EXEC_AGENT, "gitcrq.exec.grant.signing-key-file"))
                .isFalse();
        assertThat(Platform.readsKey(EXEC_AGENT, "gitcrq.exec.grant.ttl")).isFalse();
        assertThat(Platform.readsKey(MERGE_BOT, "gitcrq.exec.tmux-socket")).isTrue();
    }

    @Test
    void aDatabasePlacedElsewhereIsTheOnlyOneOnAnotherServer(@TempDir Path dir) {
        DatabaseServer platformServer = DatabaseServer.external("127.0.0.1", 5432);
        Platform platform = new Platform(new PlatformSettings(
                dir, dir.resolve("run"), 19092, 18081, "props_", "gitcrq-props", Map.of(), platformServer));
        DatabaseServer devHost = DatabaseServer.external("127.0.0.1", 25432);

        platform.placeDatabase("merge-bot", devHost);

        assertThat(platform.properties("merge-bot"))
                .containsEntry("gitcrq.db.host", "127.0.0.1")
                .containsEntry("gitcrq.db.port", "25432")
                .containsEntry("gitcrq.db.name", "props_mergebot");
        assertThat(platform.properties("crq-service"))
                .containsEntry("gitcrq.db.port", "5432")
                .containsEntry("gitcrq.db.name", "props_crq");
        assertThat(platform.databaseServer(MERGE_BOT)).isEqualTo(devHost);
        assertThat(platform.databaseServer(CRQ_SERVICE)).isEqualTo(platformServer);
    }
}
