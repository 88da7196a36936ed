package io.gitcrq.deploy.manifests;

import static io.gitcrq.deploy.manifests.StrictManifests.name;
import static io.gitcrq.deploy.manifests.StrictManifests.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.gitcrq.deploy.manifests.CloudNativePgModel.Cluster;
import io.gitcrq.deploy.manifests.CloudNativePgModel.Database;
import io.gitcrq.deploy.manifests.CloudNativePgModel.RoleConfiguration;
import io.gitcrq.deploy.manifests.StrimziModel.Kafka;
import io.gitcrq.deploy.manifests.StrimziModel.KafkaNodePool;
import io.gitcrq.deploy.manifests.StrimziModel.KafkaTopic;
import io.gitcrq.deploy.manifests.StrimziModel.KafkaUser;
import io.gitcrq.kafka.KafkaBroker;
import io.gitcrq.model.event.BrokerCredentials;
import io.gitcrq.model.event.TopicAccess;
import io.gitcrq.model.event.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and every overlay of k8s/, checked as a platform team would before deploying them: compose's
 * file validates ({@code docker-compose config -q}, Debian's docker-compose) and refuses to run without its secrets;
 * each overlay renders ({@code kubectl kustomize}) into documents that parse strictly ({@link StrictManifests}); every
 * Deployment has both probes, resources and a non-root, read-only security context; and the topics, consumer-group
 * prefixes and ACLs of both equal exactly those of the code — shared-model's {@link Topics} and {@link TopicAccess},
 * turned into ACLs by kafka-broker's {@link KafkaBroker#acls} — nothing missing, nothing extra.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = repoRoot();
    private static final Path ENV_EXAMPLE = Path.of("deploy/compose/gitcrq.env.example");
    private static final String ADMIN = "kafka-admin";
    private static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";

    /** The services compose and k8s run: every service but exec-agent, which is a host agent. */
    private static final List<String> CENTRAL = TopicAccess.SERVICES.stream()
            .filter(s -> !s.equals(TopicAccess.EXEC_AGENT))
            .toList();

    /** Central services with neither a Kafka principal nor a database: none today (mcp-server has both, for its outbox). */
    private static final List<String> STATELESS = List.of();

    /** Every central service compose and k8s run. */
    private static final List<String> ALL_CENTRAL =
            Stream.concat(CENTRAL.stream(), STATELESS.stream()).toList();

    private static final Set<String> TOPICS = Stream.concat(
                    Topics.ALL.stream(), TopicAccess.deadLetterTopics().stream())
            .collect(Collectors.toSet());

    /** Hosts acls.conf's {@code {host}} rows are checked for, as GITCRQ_KAFKA_EXEC_HOSTS would name them. */
    private static final List<String> COMPOSE_HOSTS = List.of("devbox-1", "build-7.example.com");

    private static ExternalTool kubectl;
    private static ExternalTool compose;
    private static Map<String, List<Object>> overlays;
    private static JsonNode composeConfig;

    @BeforeAll
    static void renderEverything() throws IOException {
        compose = ExternalTool.require(
                "docker-compose", "apt-get install docker-compose (Debian's 1.29; .ci/run installs it)");
        kubectl = ExternalTool.require(
                "kubectl", "kubectl 1.14 or newer (its built-in kustomize renders the overlays offline)");
        composeConfig = new YAMLMapper()
                .readTree(compose.output(
                        ROOT, List.of("--env-file", ENV_EXAMPLE.toString(), "-f", "docker-compose.yml", "config")));
        overlays = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(ROOT.resolve("k8s/overlays"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String rendered = kubectl.output(
                        ROOT, List.of("kustomize", ROOT.relativize(dir).toString()));
                overlays.put(
                        dir.getFileName().toString(),
                        StrictManifests.parse(rendered, "k8s/overlays/" + dir.getFileName()));
            }
        }
    }

    // ---- docker-compose.yml --------------------------------------------------------------------------------------

    @Test
    void composeFileIsValid() {
        ExternalTool.Result r = compose.run(
                ROOT, List.of("--env-file", ENV_EXAMPLE.toString(), "-f", "docker-compose.yml", "config", "-q"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    @Test
    void composeRefusesToRunWithoutItsSecrets() throws IOException {
        Path empty = Files.createTempFile("gitcrq-empty", ".env");
        try {
            ExternalTool.Result r = compose.run(
                    ROOT, List.of("--env-file", empty.toString(), "-f", "docker-compose.yml", "config", "-q"));
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("deploy/compose/gitcrq.env");
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void composeSecretsFileIsNotCommittedButItsExampleIs() throws IOException {
        assertThat(ROOT.resolve(ENV_EXAMPLE)).isRegularFile();
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains("deploy/compose/gitcrq.env");
    }

    @Test
    void composeRunsTheCentralServicesSafelyAndInOrder() {
        JsonNode services = composeConfig.path("services");
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new HashSet<>(ALL_CENTRAL);
        expected.addAll(List.of("kafka", "kafka-init", "postgres", "volumes-init"));
        assertThat(names).as("compose's services").isEqualTo(expected);

        for (String service : ALL_CENTRAL) {
            JsonNode s = services.path(service);
            assertThat(s.path("image").asText()).as(service).isEqualTo("gitcrq/" + service + ":dev");
            assertThat(s.path("user").asText()).as(service + " user").matches("[1-9][0-9]*:[1-9][0-9]*");
            assertThat(s.path("read_only").asBoolean())
                    .as(service + " read_only")
                    .isTrue();
            assertThat(texts(s.path("cap_drop"))).as(service + " cap_drop").containsExactly("ALL");
            assertThat(texts(s.path("security_opt"))).as(service).contains("no-new-privileges:true");
            assertThat(texts(s.path("healthcheck").path("test")))
                    .as(service + " healthcheck")
                    .contains("/q/health/ready");
            Map<String, String> dependsOn = new TreeMap<>();
            s.path("depends_on")
                    .fields()
                    .forEachRemaining(e -> dependsOn.put(
                            e.getKey(), e.getValue().path("condition").asText()));
            JsonNode env = s.path("environment");
            assertThat(env.path("GITCRQ_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
            if (STATELESS.contains(service)) {
                // No database, no Kafka: it starts once what it calls is up, and has no secret of anybody's.
                assertThat(dependsOn).as(service + " depends_on").containsEntry("crq-service", "service_healthy");
                env.fieldNames()
                        .forEachRemaining(k ->
                                assertThat(k).as(service + " sees a password").doesNotContain("PASSWORD"));
                continue;
            }
            assertThat(dependsOn)
                    .as(service + " depends_on")
                    .containsEntry("postgres", "service_healthy")
                    .containsEntry("kafka-init", "service_completed_successfully");
            assertThat(env.path("GITCRQ_DB_USER").asText()).isEqualTo(service);
            assertThat(env.path("GITCRQ_KAFKA_PASSWORD").asText()).as(service).isNotBlank();
            assertThat(env.path("GITCRQ_DB_PASSWORD").asText()).as(service).isNotBlank();
            // Each service gets its own secrets only.
            List<String> others = new ArrayList<>();
            env.fieldNames().forEachRemaining(k -> {
                if (k.startsWith("GITCRQ_KAFKA_PASSWORD_") || k.startsWith("GITCRQ_DB_PASSWORD_")) {
                    others.add(k);
                }
            });
            assertThat(others).as(service + " sees other principals' passwords").isEmpty();
        }
        assertThat(services.path("kafka-init")
                        .path("depends_on")
                        .path("kafka")
                        .path("condition")
                        .asText())
                .isEqualTo("service_healthy");
        assertThat(texts(services.path("postgres").path("command"))).contains("wal_level=logical");
    }

    @Test
    void composeKafkaHasAScramPrincipalPerServiceAndOnlyTheAdministratorAsSuperUser() throws IOException {
        JsonNode env = composeConfig.path("services").path("kafka").path("environment");
        List<String> principals = Arrays.asList(
                env.path("GITCRQ_KAFKA_PRINCIPALS").asText().trim().split("\\s+"));
        // exec-agent's hosts are kafka-init's to let in (GITCRQ_KAFKA_EXEC_HOSTS), one principal each.
        assertThat(principals).containsExactlyInAnyOrderElementsOf(BrokerCredentials.principals());
        assertThat(composeConfig
                        .path("services")
                        .path("kafka-init")
                        .path("environment")
                        .has("GITCRQ_KAFKA_EXEC_HOSTS"))
                .isTrue();
        for (String principal : principals) {
            String var = "GITCRQ_KAFKA_PASSWORD_"
                    + principal.toUpperCase(Locale.ROOT).replace('-', '_');
            assertThat(env.path(var).asText()).as(var).isNotBlank();
        }
        String start = Files.readString(ROOT.resolve("deploy/compose/kafka/start.sh"));
        assertThat(start)
                .contains("ADMIN=" + ADMIN + "\n")
                .contains("\nsuper.users=User:$ADMIN\n")
                .contains("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .contains("allow.everyone.if.no.acl.found=false")
                .contains("--add-scram");
    }

    @Test
    void composeTopicsAreExactlyTheCodesTopics() throws IOException {
        Path file = composeInitFile("topics.conf");
        Set<String> topics = new HashSet<>();
        for (List<String> fields : dataLines(file)) {
            assertThat(fields).as("topics.conf: " + fields).hasSize(4);
            assertThat(topics.add(fields.get(0)))
                    .as("topic twice: " + fields.get(0))
                    .isTrue();
            assertThat(fields.get(3)).as(fields.get(0) + " cleanup.policy").isEqualTo("delete");
        }
        assertThat(topics).isEqualTo(TOPICS);
    }

    @Test
    void composeAclsAreExactlyTheBrokersAcls() throws IOException {
        Path file = composeInitFile("acls.conf");
        Set<KafkaAcl> acls = new HashSet<>();
        for (List<String> fields : dataLines(file)) {
            assertThat(fields).as("acls.conf: " + fields).hasSizeGreaterThanOrEqualTo(5);
            // A {host} row is made for each exec-agent host (init.sh), the others once.
            List<String> hosts = fields.get(0).contains("{host}") ? COMPOSE_HOSTS : List.of("");
            for (String host : hosts) {
                for (String operation : fields.get(1).split(",")) {
                    for (String resource : fields.subList(4, fields.size())) {
                        acls.add(KafkaAcl.of(
                                fields.get(0).replace("{host}", host),
                                fields.get(2),
                                fields.get(3),
                                resource.replace("{host}", host),
                                operation,
                                "*"));
                    }
                }
            }
        }
        assertSameAcls(acls, COMPOSE_HOSTS, "docker-compose (deploy/compose/kafka/acls.conf)");
    }

    @Test
    void composeAndEveryOverlayGiveEachTopicTheSamePartitionsAndRetention() throws IOException {
        Map<String, List<String>> compose = new TreeMap<>();
        for (List<String> fields : dataLines(composeInitFile("topics.conf"))) {
            compose.put(fields.get(0), List.of(fields.get(1), fields.get(2), fields.get(3)));
        }
        overlays.forEach((overlay, resources) -> {
            Map<String, List<String>> k8s = new TreeMap<>();
            for (KafkaTopic t : ofType(resources, KafkaTopic.class)) {
                k8s.put(
                        t.spec().topicName(),
                        List.of(
                                String.valueOf(t.spec().partitions()),
                                String.valueOf(t.spec().config().get("retention.ms")),
                                String.valueOf(t.spec().config().get("cleanup.policy"))));
            }
            assertThat(k8s).as(overlay + " against compose's topics.conf").isEqualTo(compose);
        });
    }

    /** The partitions of the manifests are the code's: what the local broker creates and instances scale to. */
    @Test
    void composeGivesEachTopicThePartitionsOfTheCode() throws IOException {
        Map<String, Integer> compose = new TreeMap<>();
        for (List<String> fields : dataLines(composeInitFile("topics.conf"))) {
            compose.put(fields.get(0), Integer.parseInt(fields.get(1)));
        }
        Map<String, Integer> code = new TreeMap<>();
        TOPICS.forEach(t -> code.put(t, Topics.partitions(t, Topics.DEFAULT_EVENT_PARTITIONS)));
        assertThat(compose).as("topics.conf against Topics.partitions").isEqualTo(code);
        assertThat(Files.readString(ROOT.resolve("deploy/compose/kafka/start.sh")))
                .contains("num.partitions=" + Topics.DEFAULT_EVENT_PARTITIONS + "\n");
    }

    /**
     * The ACLs hold for the code's principals, consumer groups and topics only as long as no deployment renames
     * them: a service's principal and its consumer groups are named after {@code quarkus.application.name}, its
     * topics come from {@code Topics}. No environment of compose or k8s may override any of those.
     */
    @Test
    void noDeploymentRenamesAPrincipalAGroupOrATopic() {
        List<String> renaming = List.of("QUARKUS_APPLICATION_NAME", "GITCRQ_KAFKA_USER", "GITCRQ_TOPIC_", "GROUP_ID");
        List<String> names = new ArrayList<>();
        composeConfig
                .path("services")
                .forEach(s -> s.path("environment").fieldNames().forEachRemaining(names::add));
        overlays.forEach((overlay, resources) -> {
            ofType(resources, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                    .filter(cm -> cm.getData() != null)
                    .forEach(cm -> names.addAll(cm.getData().keySet()));
            for (Deployment d : ofType(resources, Deployment.class)) {
                for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                    Optional.ofNullable(c.getEnv()).orElse(List.of()).forEach(e -> names.add(e.getName()));
                }
            }
        });
        assertThat(names).isNotEmpty().noneMatch(n -> renaming.stream().anyMatch(n::contains));
    }

    /** The file kafka-init reads as /opt/gitcrq/<name>, as compose mounts it. */
    private static Path composeInitFile(String name) {
        for (JsonNode volume : composeConfig.path("services").path("kafka-init").path("volumes")) {
            String source;
            String target;
            if (volume.isTextual()) {
                String[] parts = volume.asText().split(":");
                source = parts[0];
                target = parts[1];
            } else {
                source = volume.path("source").asText();
                target = volume.path("target").asText();
            }
            if (target.equals("/opt/gitcrq/" + name)) {
                Path path = ROOT.resolve(source).normalize();
                assertThat(path).isRegularFile();
                return path;
            }
        }
        throw new AssertionError("kafka-init does not mount /opt/gitcrq/" + name);
    }

    private static List<List<String>> dataLines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> List.of(l.split("\\s+")))
                .toList();
    }

    // ---- k8s/ ----------------------------------------------------------------------------------------------------

    @Test
    void thereAreADevAndAProdOverlay() {
        assertThat(overlays).containsKeys("dev", "prod");
    }

    @Test
    void noOverlayHoldsASecretValue() {
        overlays.forEach((overlay, resources) ->
                assertThat(resources).as(overlay).noneMatch(r -> r instanceof io.fabric8.kubernetes.api.model.Secret));
    }

    @Test
    void everyDeploymentHasProbesResourcesAndANonRootReadOnlySecurityContext() {
        overlays.forEach((overlay, resources) -> {
            List<Deployment> deployments = ofType(resources, Deployment.class);
            assertThat(deployments.stream().map(d -> name(d)))
                    .as(overlay + ": Deployments")
                    .containsExactlyInAnyOrderElementsOf(ALL_CENTRAL);
            for (Deployment d : deployments) {
                String where = overlay + "/" + name(d);
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                assertThat(pod.getSecurityContext())
                        .as(where + " pod securityContext")
                        .isNotNull();
                assertThat(pod.getSecurityContext().getRunAsNonRoot())
                        .as(where + " runAsNonRoot")
                        .isTrue();
                assertThat(pod.getSecurityContext().getRunAsUser())
                        .as(where + " runAsUser")
                        .isPositive();
                List<Container> all = new ArrayList<>(pod.getContainers());
                all.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
                for (Container c : all) {
                    String cw = where + " container " + c.getName();
                    assertResources(c.getResources(), cw);
                    assertThat(c.getSecurityContext())
                            .as(cw + " securityContext")
                            .isNotNull();
                    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                            .as(cw + " allowPrivilegeEscalation")
                            .isFalse();
                    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                            .as(cw + " readOnlyRootFilesystem")
                            .isTrue();
                    assertThat(c.getSecurityContext().getCapabilities().getDrop())
                            .as(cw + " capabilities.drop")
                            .containsExactly("ALL");
                    // The pod's non-root user holds unless a container overrides it.
                    assertThat(c.getSecurityContext().getRunAsNonRoot())
                            .as(cw + " runAsNonRoot")
                            .isNotEqualTo(false);
                    assertThat(Optional.ofNullable(c.getSecurityContext().getRunAsUser())
                                    .orElse(pod.getSecurityContext().getRunAsUser()))
                            .as(cw + " runAsUser")
                            .isPositive();
                }
                assertThat(pod.getContainers()).as(where).hasSize(1);
                Container main = pod.getContainers().get(0);
                assertHttpProbe(main.getLivenessProbe(), "/q/health/live", where + " liveness");
                assertHttpProbe(main.getReadinessProbe(), "/q/health/ready", where + " readiness");
                // A read-only root: /tmp is a volume of the pod's own.
                VolumeMount tmp = main.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/tmp"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(where + " mounts nothing at /tmp"));
                Volume tmpVolume = pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(tmp.getName()))
                        .findFirst()
                        .orElseThrow();
                assertThat(tmpVolume.getEmptyDir()).as(where + " /tmp").isNotNull();
            }
        });
    }

    @Test
    void servicesThatKeepGitMirrorsWriteThemToAVolume() {
        Map<String, String> mirrorKeys = Map.of(
                TopicAccess.GIT_WATCHER, "GITCRQ_GIT_WATCHER_MIRROR_DIR",
                TopicAccess.MERGE_BOT, "GITCRQ_MERGE_BOT_MIRROR_DIR");
        overlays.forEach((overlay, resources) -> mirrorKeys.forEach((service, key) -> {
            Deployment d = deployment(resources, service);
            String dir = ofType(resources, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                    .filter(cm -> cm.getData() != null && cm.getData().containsKey(key))
                    .map(cm -> cm.getData().get(key))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap sets " + key));
            Container main = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(main.getVolumeMounts().stream().map(VolumeMount::getMountPath))
                    .as(overlay + "/" + service + " mounts " + dir)
                    .anyMatch(path -> dir.equals(path) || dir.startsWith(path + "/"));
        }));
    }

    @Test
    void everyDeploymentHasAServiceAndADisruptionBudget() {
        overlays.forEach((overlay, resources) -> {
            for (Deployment d : ofType(resources, Deployment.class)) {
                Map<String, String> labels =
                        d.getSpec().getTemplate().getMetadata().getLabels();
                assertThat(ofType(resources, PodDisruptionBudget.class))
                        .as(overlay + ": a PodDisruptionBudget for " + name(d))
                        .anyMatch(pdb -> labels.entrySet()
                                .containsAll(pdb.getSpec()
                                        .getSelector()
                                        .getMatchLabels()
                                        .entrySet()));
                assertThat(ofType(resources, Service.class))
                        .as(overlay + ": a Service for " + name(d))
                        .anyMatch(s -> labels.entrySet()
                                .containsAll(s.getSpec().getSelector().entrySet()));
            }
        });
    }

    @Test
    void prometheusScrapesEveryServicesMetrics() {
        overlays.forEach((overlay, resources) -> {
            List<MonitoringModel.ServiceMonitor> monitors = ofType(resources, MonitoringModel.ServiceMonitor.class);
            assertThat(monitors).as(overlay).hasSize(1);
            MonitoringModel.ServiceMonitorSpec spec = monitors.get(0).spec();
            assertThat(spec.endpoints())
                    .as(overlay)
                    .singleElement()
                    .satisfies(e -> assertThat(e.path()).isEqualTo("/q/metrics"));
            String port = spec.endpoints().get(0).port();
            Map<String, String> selector = spec.selector().getMatchLabels();
            List<Service> scraped = ofType(resources, Service.class).stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertThat(scraped.stream().map(s -> s.getMetadata().getName()))
                    .as(overlay + ": the Services the ServiceMonitor selects")
                    .containsExactlyInAnyOrderElementsOf(ALL_CENTRAL);
            assertThat(scraped)
                    .as(overlay + ": each has the port the ServiceMonitor scrapes")
                    .allMatch(s -> s.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())));
        });
    }

    @Test
    void onlyPureConsumersAutoscale() {
        // A pure consumer writes nothing but its dead letters: more replicas only share its partitions.
        Set<String> pureConsumers = CENTRAL.stream()
                .filter(s -> TopicAccess.writes(s).equals(List.of(Topics.deadLetter(s))))
                .collect(Collectors.toSet());
        assertThat(pureConsumers).containsExactlyInAnyOrder(TopicAccess.AUDIT_COLLECTOR, TopicAccess.CONSOLE);
        overlays.forEach((overlay, resources) -> {
            List<HorizontalPodAutoscaler> hpas = ofType(resources, HorizontalPodAutoscaler.class);
            // The console is a pure consumer too, but one replica serves its pages: it does not autoscale.
            assertThat(hpas.stream().map(h -> h.getSpec().getScaleTargetRef().getName()))
                    .as(overlay + ": HPA targets")
                    .containsExactly(TopicAccess.AUDIT_COLLECTOR)
                    .allMatch(pureConsumers::contains);
            int partitions = ofType(resources, KafkaTopic.class).stream()
                    .filter(t -> Topics.ALL.contains(t.spec().topicName()))
                    .mapToInt(t -> t.spec().partitions())
                    .min()
                    .orElseThrow();
            assertThat(hpas)
                    .as(overlay + ": no more replicas than partitions")
                    .allMatch(h -> h.getSpec().getMaxReplicas() <= partitions);
        });
    }

    @Test
    void kafkaIsKraftWithScramOnEveryListenerAndTheSimpleAuthorizer() {
        overlays.forEach((overlay, resources) -> {
            List<Kafka> kafkas = ofType(resources, Kafka.class);
            assertThat(kafkas).as(overlay).hasSize(1);
            Kafka kafka = kafkas.get(0);
            assertThat(kafka.spec().kafka().listeners())
                    .as(overlay + ": listeners")
                    .isNotEmpty()
                    .allMatch(l -> l.authentication() != null
                            && l.authentication().type().equals("scram-sha-512"));
            assertThat(kafka.spec().kafka().authorization().type()).isEqualTo("simple");
            assertThat(kafka.spec().kafka().config()).containsEntry("auto.create.topics.enable", false);
            List<KafkaNodePool> pools = ofType(resources, KafkaNodePool.class);
            assertThat(pools).as(overlay + ": node pools").isNotEmpty();
            assertThat(pools.stream().flatMap(p -> p.spec().roles().stream()))
                    .as(overlay + ": KRaft roles")
                    .contains("controller", "broker");
            assertThat(pools)
                    .allMatch(p -> name(kafka).equals(p.metadata().getLabels().get(STRIMZI_CLUSTER_LABEL)));
            int brokers = pools.stream()
                    .filter(p -> p.spec().roles().contains("broker"))
                    .mapToInt(p -> p.spec().replicas())
                    .sum();
            for (KafkaTopic t : ofType(resources, KafkaTopic.class)) {
                String where = overlay + ": topic " + t.spec().topicName();
                assertThat(t.spec().replicas()).as(where + " replicas").isBetween(1, brokers);
                Object minIsr = t.spec().config().get("min.insync.replicas");
                assertThat(((Number) minIsr).intValue())
                        .as(where + " min.insync.replicas")
                        .isLessThanOrEqualTo(t.spec().replicas());
            }
        });
    }

    @Test
    void kafkaTopicsAreExactlyTheCodesTopics() {
        overlays.forEach((overlay, resources) -> {
            List<KafkaTopic> topics = ofType(resources, KafkaTopic.class);
            assertThat(topics.stream().map(t -> t.spec().topicName()))
                    .as(overlay + ": KafkaTopics")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(TOPICS);
            String cluster = name(ofType(resources, Kafka.class).get(0));
            for (KafkaTopic t : topics) {
                assertThat(name(t)).isEqualTo(t.spec().topicName());
                assertThat(t.metadata().getLabels()).containsEntry(STRIMZI_CLUSTER_LABEL, cluster);
                assertThat(t.spec().config()).containsKey("retention.ms").containsEntry("cleanup.policy", "delete");
            }
        });
    }

    @Test
    void kafkaUsersAreOnePerServiceWithExactlyTheBrokersAcls() {
        overlays.forEach((overlay, resources) -> {
            List<KafkaUser> users = ofType(resources, KafkaUser.class);
            // A user per central service, and one per exec-agent host (exec-agent-<host>).
            List<String> hosts = users.stream()
                    .map(StrictManifests::name)
                    .flatMap(n -> TopicAccess.execAgentHost(n).stream())
                    .toList();
            assertThat(hosts).as(overlay + ": exec-agent hosts").isNotEmpty();
            List<String> expectedUsers = new ArrayList<>(CENTRAL);
            hosts.forEach(h -> expectedUsers.add(TopicAccess.execAgentPrincipal(h)));
            assertThat(users.stream().map(StrictManifests::name))
                    .as(overlay + ": KafkaUsers")
                    .containsExactlyInAnyOrderElementsOf(expectedUsers);
            String cluster = name(ofType(resources, Kafka.class).get(0));
            Set<KafkaAcl> acls = new HashSet<>();
            for (KafkaUser user : users) {
                assertThat(user.metadata().getLabels()).containsEntry(STRIMZI_CLUSTER_LABEL, cluster);
                assertThat(user.spec().authentication().type()).isEqualTo("scram-sha-512");
                assertThat(user.spec().authorization().type()).isEqualTo("simple");
                for (StrimziModel.AclRule rule : user.spec().authorization().acls()) {
                    for (String operation : rule.operations()) {
                        acls.add(KafkaAcl.of(
                                "User:" + name(user),
                                rule.resource().type(),
                                rule.resource().patternType(),
                                rule.resource().name(),
                                operation,
                                rule.host() == null ? "*" : rule.host()));
                    }
                }
            }
            assertSameAcls(acls, hosts, overlay + "'s KafkaUsers");
        });
    }

    @Test
    void eachServiceSignsInToKafkaAsItsOwnKafkaUser() {
        overlays.forEach((overlay, resources) -> {
            for (String service : CENTRAL) {
                EnvVar password = env(deployment(resources, service), "GITCRQ_KAFKA_PASSWORD");
                // Strimzi's user operator keeps a KafkaUser's password in a Secret of the user's name.
                assertThat(password.getValueFrom().getSecretKeyRef().getName())
                        .as(overlay + "/" + service)
                        .isEqualTo(service);
                assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
            }
        });
    }

    @Test
    void prodSpeaksToKafkaOnlyOverTlsTrustingStrimzisClusterCa() {
        List<Object> prod = overlays.get("prod");
        assertThat(ofType(prod, Kafka.class).get(0).spec().kafka().listeners())
                .as("prod: every listener with TLS")
                .allMatch(StrimziModel.Listener::tls);
        Map<String, String> common = ofType(prod, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                .filter(cm -> name(cm).equals("gitcrq-common"))
                .findFirst()
                .orElseThrow()
                .getData();
        assertThat(common)
                .containsEntry("GITCRQ_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        String truststore = common.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        for (Deployment d : ofType(prod, Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> truststore.startsWith(m.getMountPath() + "/"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("prod/" + name(d) + " does not mount " + truststore));
            assertThat(mount.getReadOnly()).isTrue();
            var volume = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName()))
                    .findFirst()
                    .orElseThrow();
            // Strimzi keeps the cluster CA's certificate (never its key) in <cluster>-cluster-ca-cert.
            assertThat(volume.getSecret().getSecretName())
                    .as("prod/" + name(d))
                    .isEqualTo(name(ofType(prod, Kafka.class).get(0)) + "-cluster-ca-cert");
            assertThat(volume.getSecret().getItems())
                    .singleElement()
                    .satisfies(item -> assertThat(mount.getMountPath() + "/" + item.getPath())
                            .isEqualTo(truststore));
        }
        List<Object> dev = overlays.get("dev");
        assertThat(ofType(dev, Kafka.class).get(0).spec().kafka().listeners())
                .as("dev: SASL without TLS inside the cluster")
                .noneMatch(StrimziModel.Listener::tls);
    }

    @Test
    void devRunsPostgresWithLogicalWalAndProdAnExternalDatabase() {
        List<Object> dev = overlays.get("dev");
        List<Cluster> clusters = ofType(dev, Cluster.class);
        assertThat(clusters).hasSize(1);
        Cluster cluster = clusters.get(0);
        assertThat(cluster.spec().postgresql().parameters()).containsEntry("wal_level", "logical");
        Map<String, RoleConfiguration> roles = new LinkedHashMap<>();
        cluster.spec().managed().roles().forEach(r -> roles.put(r.name(), r));
        assertThat(roles.keySet()).containsExactlyInAnyOrderElementsOf(CENTRAL);
        for (String service : CENTRAL) {
            Deployment d = deployment(dev, service);
            String secret = env(d, "GITCRQ_DB_PASSWORD")
                    .getValueFrom()
                    .getSecretKeyRef()
                    .getName();
            assertThat(roles.get(service).passwordSecret().name()).isEqualTo(secret);
            assertThat(env(d, "GITCRQ_DB_USER").getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo(secret);
        }
        assertThat(ofType(dev, Database.class).stream().map(db -> db.spec().owner()))
                .containsExactlyInAnyOrderElementsOf(CENTRAL);

        List<Object> prod = overlays.get("prod");
        assertThat(ofType(prod, Cluster.class))
                .as("prod: no in-cluster PostgreSQL")
                .isEmpty();
        for (Deployment d : ofType(prod, Deployment.class)) {
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                            .map(EnvFromSource::getSecretRef)
                            .filter(ref -> ref != null)
                            .map(ref -> ref.getName()))
                    .as("prod/" + name(d) + " reads the external database's Secret")
                    .contains("gitcrq-external-database");
        }
    }

    // ---- the checks themselves -----------------------------------------------------------------------------------

    @Test
    void anUnknownFieldFailsTheParse() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenessProbe:
                            httpGet:
                              path: /q/health/live
                              port: 8080
                              sheme: HTTP
                """;
        assertThatThrownBy(() -> StrictManifests.parse(deployment, "test"))
                .hasMessageContaining("unknown field(s) [sheme]")
                .hasMessageContaining("livenessProbe");
        String user = """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaUser
                metadata:
                  name: x
                spec:
                  authentication:
                    type: scram-sha-512
                  authorisation:
                    type: simple
                """;
        assertThatThrownBy(() -> StrictManifests.parse(user, "test")).hasMessageContaining("authorisation");
        assertThatThrownBy(() -> StrictManifests.parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n", "test"))
                .hasMessageContaining("no strict model");
    }

    @Test
    void aMissingToolFailsRatherThanSkips() {
        assertThatThrownBy(() -> ExternalTool.require("gitcrq-no-such-tool", "install it"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("gitcrq-no-such-tool is needed")
                .hasMessageContaining("install it");
    }

    /** The ACLs equal those the broker makes for the central services and these exec-agent hosts. */
    private static void assertSameAcls(Set<KafkaAcl> actual, List<String> execAgentHosts, String what) {
        Set<KafkaAcl> expected =
                KafkaBroker.acls(execAgentHosts).stream().map(KafkaAcl::of).collect(Collectors.toSet());
        Set<KafkaAcl> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        Set<KafkaAcl> extra = new HashSet<>(actual);
        extra.removeAll(expected);
        assertThat(missing).as(what + ": ACLs the broker grants and these lack").isEmpty();
        assertThat(extra)
                .as(what + ": ACLs these grant and the broker does not")
                .isEmpty();
    }

    private static void assertResources(ResourceRequirements r, String where) {
        assertThat(r).as(where + " resources").isNotNull();
        for (Map<String, Quantity> amounts : List.of(
                Optional.ofNullable(r.getRequests()).orElse(Map.of()),
                Optional.ofNullable(r.getLimits()).orElse(Map.of()))) {
            assertThat(amounts).as(where + " resources (requests and limits)").containsKeys("cpu", "memory");
        }
    }

    private static void assertHttpProbe(Probe probe, String path, String where) {
        assertThat(probe).as(where).isNotNull();
        assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
    }

    private static Deployment deployment(List<Object> resources, String name) {
        return ofType(resources, Deployment.class).stream()
                .filter(d -> name(d).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static EnvVar env(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name(d) + " has no env " + name));
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> texts.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            texts.add(node.asText());
        }
        return texts;
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
