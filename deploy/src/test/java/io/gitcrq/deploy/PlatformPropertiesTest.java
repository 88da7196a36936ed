package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each service is given only the gitcrq.exec.* keys it maps: a mapping refuses a key of its prefix it does not know. */
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
}
