package io.gitcrq.deploy.manifests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered Kubernetes manifests strictly: each document into the class of its apiVersion and kind (fabric8's
 * model for Kubernetes' own resources, {@link StrimziModel} and {@link CloudNativePgModel} for the operators'), and a
 * field the class does not know fails. fabric8's classes keep unknown fields in {@code additionalProperties} rather
 * than failing, so every object of the parsed tree is walked and any non-empty {@code additionalProperties} is an
 * error naming its path. A kind not listed here fails too: the manifests hold nothing unchecked.
 */
public final class StrictManifests {

    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", StrimziModel.Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", StrimziModel.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", StrimziModel.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", StrimziModel.KafkaUser.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", CloudNativePgModel.Cluster.class),
            Map.entry("postgresql.cnpg.io/v1/Database", CloudNativePgModel.Database.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", MonitoringModel.ServiceMonitor.class));

    private static final ObjectMapper MAPPER = new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private StrictManifests() {}

    /** Every document of a multi-document YAML text, each as an instance of its kind's class. */
    public static List<Object> parse(String yaml, String source) {
        List<Object> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                String type =
                        doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                String where = source + " document " + index + " (" + type + " "
                        + doc.path("metadata").path("name").asText() + ")";
                Class<?> cls = TYPES.get(type);
                if (cls == null) {
                    throw new IllegalArgumentException(where + ": no strict model for this kind; known: "
                            + TYPES.keySet().stream().sorted().toList());
                }
                Object resource;
                try {
                    resource = MAPPER.treeToValue(doc, cls);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
                }
                requireNoUnknownFields(resource, where);
                resources.add(resource);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not YAML: " + e.getMessage(), e);
        }
        return resources;
    }

    /** Fails with the path of the first object in the tree that holds fields its class does not know. */
    static void requireNoUnknownFields(Object root, String where) {
        walk(root, "", where);
    }

    private static void walk(Object o, String path, String where) {
        if (o == null
                || o instanceof String
                || o instanceof Number
                || o instanceof Boolean
                || o instanceof Character
                || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, where));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", where);
            }
            return;
        }
        Class<?> cls = o.getClass();
        if (cls.isRecord()) {
            for (RecordComponent component : cls.getRecordComponents()) {
                walk(invoke(component.getAccessor(), o), path + "." + component.getName(), where);
            }
            return;
        }
        if (!cls.getName().startsWith("io.fabric8.")) {
            throw new IllegalStateException(where + ": unexpected " + cls.getName() + " at " + path);
        }
        Object extra = additionalProperties(o);
        if (extra instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown field(s) " + unknown.keySet() + " at "
                    + (path.isEmpty() ? "the top" : path) + " (" + cls.getSimpleName() + ")");
        }
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("additionalProperties")) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    walk(field.get(o), path + "." + field.getName(), where);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Object additionalProperties(Object o) {
        try {
            Method getter = o.getClass().getMethod("getAdditionalProperties");
            return getter.invoke(o);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Method accessor, Object o) {
        try {
            return accessor.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resources of one class, e.g. every Deployment. */
    public static <T> List<T> ofType(List<Object> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The name of a parsed resource, fabric8's or a strict record's. */
    public static String name(Object resource) {
        if (resource instanceof HasMetadata r) {
            return r.getMetadata().getName();
        }
        try {
            Object meta = resource.getClass().getMethod("metadata").invoke(resource);
            return ((io.fabric8.kubernetes.api.model.ObjectMeta) meta).getName();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
