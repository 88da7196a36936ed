package io.gitcrq.deploy.manifests;

import java.util.Locale;
import org.apache.kafka.common.acl.AclBinding;

/** One Kafka ACL entry in a form the broker's, compose's and Strimzi's can be compared in. */
public record KafkaAcl(
        String principal, String resourceType, String patternType, String resource, String operation, String host) {

    public static KafkaAcl of(AclBinding binding) {
        if (!binding.entry().permissionType().name().equals("ALLOW")) {
            throw new IllegalArgumentException("only ALLOW entries are expected: " + binding);
        }
        return new KafkaAcl(
                binding.entry().principal(),
                binding.pattern().resourceType().name(),
                binding.pattern().patternType().name(),
                binding.pattern().name(),
                binding.entry().operation().name(),
                binding.entry().host());
    }

    /** Kafka's tools' and Strimzi's spelling (topic, literal, prefix(ed), Write) to the broker's enum names. */
    public static KafkaAcl of(
            String principal, String resourceType, String patternType, String resource, String operation, String host) {
        String pattern = patternType.toUpperCase(Locale.ROOT);
        return new KafkaAcl(
                principal,
                resourceType.toUpperCase(Locale.ROOT),
                pattern.equals("PREFIX") ? "PREFIXED" : pattern,
                resource,
                operation.toUpperCase(Locale.ROOT),
                host);
    }

    @Override
    public String toString() {
        return principal + " " + operation + " " + resourceType + " " + patternType + " " + resource
                + (host.equals("*") ? "" : " from " + host);
    }
}
