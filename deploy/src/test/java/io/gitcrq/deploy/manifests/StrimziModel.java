package io.gitcrq.deploy.manifests;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/**
 * The fields of Strimzi's resources (kafka.strimzi.io/v1beta2) that k8s/ uses, as strict records: a field not named
 * here fails the parse (Strimzi's own api model is not served by our Maven mirror). Add a field here when the
 * manifests start using it.
 */
public final class StrimziModel {

    public record Kafka(String apiVersion, String kind, ObjectMeta metadata, KafkaSpec spec) {}

    public record KafkaSpec(KafkaClusterSpec kafka, EntityOperatorSpec entityOperator) {}

    public record KafkaClusterSpec(
            String version, List<Listener> listeners, Authorization authorization, Map<String, Object> config) {}

    public record Listener(String name, int port, String type, boolean tls, ListenerAuthentication authentication) {}

    public record ListenerAuthentication(String type) {}

    public record Authorization(String type, List<String> superUsers) {}

    public record EntityOperatorSpec(Map<String, Object> topicOperator, Map<String, Object> userOperator) {}

    public record KafkaNodePool(String apiVersion, String kind, ObjectMeta metadata, NodePoolSpec spec) {}

    public record NodePoolSpec(int replicas, List<String> roles, Storage storage, ResourceRequirements resources) {}

    public record Storage(String type, List<StorageVolume> volumes) {}

    public record StorageVolume(int id, String type, String size, boolean deleteClaim, String kraftMetadata) {}

    public record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, TopicSpec spec) {}

    public record TopicSpec(String topicName, int partitions, int replicas, Map<String, Object> config) {}

    public record KafkaUser(String apiVersion, String kind, ObjectMeta metadata, UserSpec spec) {}

    public record UserSpec(UserAuthentication authentication, UserAuthorization authorization) {}

    public record UserAuthentication(String type) {}

    public record UserAuthorization(String type, List<AclRule> acls) {}

    public record AclRule(AclResource resource, List<String> operations, String host) {}

    public record AclResource(String type, String name, String patternType) {}

    private StrimziModel() {}
}
