package io.gitcrq.model.audit;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code network}: one flow of the capture, both directions: {@code protocol} (tcp, udp, icmp, icmpv6 or
 * ip-proto-N), the service side ({@code peer}:{@code port}) and the {@code client} side, packets and bytes (IP
 * lengths, headers included) each way, first and last packet (microseconds since the epoch), the interface
 * captured and the pcap kept.
 */
public record NetworkFlow(
        String protocol,
        String peer,
        int port,
        String client,
        int clientPort,
        long packets,
        long bytes,
        long bytesToPeer,
        long bytesFromPeer,
        long firstSeenMicros,
        long lastSeenMicros,
        @JsonProperty("interface") String interfaceName,
        String pcap)
        implements AuditPayload {

    public static final String KIND = "network";

    @Override
    public String kind() {
        return KIND;
    }
}
