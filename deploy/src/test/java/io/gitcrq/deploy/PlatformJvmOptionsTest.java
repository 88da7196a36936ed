package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** C1 only where a quick start matters more; C2 where every audit event is hashed (P1 in docs/benchmarks.md). */
class PlatformJvmOptionsTest {

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @Test
    void theServicesThatCarryTheAuditTrailKeepC2() {
        for (String service : new String[] {"exec-agent", "audit-collector"}) {
            assertThat(Platform.jvmOptions(ServiceSpec.named(service)))
                    .as(service)
                    .contains("-XX:+UseSerialGC", "-Xmx384m")
                    .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
        }
    }

    @Test
    void theOtherServicesRunWithC1Only() {
        ServiceSpec.ALL.stream()
                .filter(spec ->
                        !spec.name().equals("exec-agent") && !spec.name().equals("audit-collector"))
                .forEach(spec -> assertThat(Platform.jvmOptions(spec))
                        .as(spec.name())
                        .contains(C1_ONLY, "-XX:+UseSerialGC", "-Xmx384m"));
    }
}
