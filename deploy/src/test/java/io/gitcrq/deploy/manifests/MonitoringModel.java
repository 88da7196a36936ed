package io.gitcrq.deploy.manifests;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * The fields of the Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1) that k8s/ uses, as strict records:
 * a field not named here fails the parse.
 */
public final class MonitoringModel {

    public record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {}

    public record ServiceMonitorSpec(LabelSelector selector, List<Endpoint> endpoints) {}

    public record Endpoint(String port, String path, String interval) {}

    private MonitoringModel() {}
}
