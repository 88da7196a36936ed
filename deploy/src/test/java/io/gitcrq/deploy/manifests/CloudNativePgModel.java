package io.gitcrq.deploy.manifests;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The fields of CloudNativePG's resources (postgresql.cnpg.io/v1) that k8s/ uses, as strict records: a field not named
 * here fails the parse. Add a field here when the manifests start using it.
 */
public final class CloudNativePgModel {

    public record Cluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {}

    public record ClusterSpec(
            int instances, ClusterStorage storage, PostgresConfiguration postgresql, ManagedConfiguration managed) {}

    public record ClusterStorage(String size) {}

    public record PostgresConfiguration(Map<String, String> parameters) {}

    public record ManagedConfiguration(List<RoleConfiguration> roles) {}

    public record RoleConfiguration(
            String name, String ensure, boolean login, boolean replication, SecretReference passwordSecret) {}

    public record SecretReference(String name) {}

    public record Database(String apiVersion, String kind, ObjectMeta metadata, DatabaseSpec spec) {}

    public record DatabaseSpec(ClusterReference cluster, String name, String owner) {}

    public record ClusterReference(String name) {}

    private CloudNativePgModel() {}
}
