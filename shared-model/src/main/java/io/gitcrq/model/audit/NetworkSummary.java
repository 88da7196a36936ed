package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code network.summary}: what was captured ({@code scope}: {@value #COMMAND}, the packets of the command's own
 * connections, singled out by its {@code cgroup}, read from an NFLOG group as {@code interface nflog:<group>}; or
 * {@value #HOST}, every packet of the interface and ports the host configured), the interface and pcap, tcpdump's own statistics (its lines "N packets captured",
 * "... received by filter", "... dropped by kernel", "... dropped by interface", by name), and what reading the pcap
 * found ({@code flows}, {@code linkType}, IP, other and malformed packets) or {@code pcapError}. See
 * {@link FileSummary} for {@code stopError} and {@code sinkFailures}.
 */
public record NetworkSummary(
        long seen,
        long captured,
        long dropped,
        Map<String, Long> droppedBy,
        @JsonInclude(Include.NON_NULL) Boolean fellBehind,

        @JsonProperty("interface") @JsonInclude(Include.NON_NULL)
        String interfaceName,

        @JsonInclude(Include.NON_NULL) String scope,
        @JsonInclude(Include.NON_NULL) String cgroup,
        @JsonInclude(Include.NON_NULL) String pcap,
        @JsonInclude(Include.NON_NULL) Map<String, Long> tcpdump,
        @JsonInclude(Include.NON_NULL) Integer flows,
        @JsonInclude(Include.NON_NULL) Integer linkType,
        @JsonInclude(Include.NON_NULL) Long ipPackets,
        @JsonInclude(Include.NON_NULL) Long otherPackets,
        @JsonInclude(Include.NON_NULL) Long malformedPackets,
        @JsonInclude(Include.NON_NULL) String pcapError,
        @JsonInclude(Include.NON_NULL) List<String> toolMessages,
        @JsonInclude(Include.NON_NULL) String stopError,
        @JsonInclude(Include.NON_NULL) Long sinkFailures)
        implements AuditPayload, SourceSummary {

    /** {@code scope}: the command's own connections only. */
    public static final String COMMAND = "command";
    /** {@code scope}: the host's traffic on the configured interface and ports. */
    public static final String HOST = "host";

    public NetworkSummary {
        droppedBy = SourceSummary.reasons(droppedBy);
        fellBehind = Boolean.TRUE.equals(fellBehind) ? Boolean.TRUE : null;
    }

    @Override
    public String kind() {
        return AuditPayload.summaryOf(NetworkFlow.KIND);
    }
}
