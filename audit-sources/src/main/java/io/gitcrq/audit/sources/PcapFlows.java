package io.gitcrq.audit.sources;

import io.gitcrq.model.audit.NetworkFlow;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a classic pcap file (not pcapng): micro/nanosecond magic in either byte order; link types Ethernet (1, with
 * 802.1Q tags), Linux cooked SLL (113) and SLL2 (276) as written by {@code tcpdump -i any}, raw IP (12, 14, 101)
 * BSD loopback NULL (0) and NFLOG (239, as {@code tcpdump -i nflog:G} writes it); IPv4 and IPv6 (skipping the
 * common extension headers); TCP and UDP ports. Flows are bidirectional, keyed by protocol and the two endpoints; the
 * "peer" (service) side is the one a TCP connection was opened to when its first packet is seen (a SYN, or a SYN-ACK
 * from it), else the endpoint whose port is a port of interest, else the one with the lower port.
 */
final class PcapFlows {

    static final class Flow {
        final String protocol;
        final String peer;
        final int port;
        final String client;
        final int clientPort;
        long packets;
        long bytes;
        long bytesToPeer;
        long bytesFromPeer;
        long firstMicros = Long.MAX_VALUE;
        long lastMicros;

        Flow(String protocol, String peer, int port, String client, int clientPort) {
            this.protocol = protocol;
            this.peer = peer;
            this.port = port;
            this.client = client;
            this.clientPort = clientPort;
        }

        NetworkFlow record(String iface, String pcap) {
            return new NetworkFlow(
                    protocol,
                    peer,
                    port,
                    client,
                    clientPort,
                    packets,
                    bytes,
                    bytesToPeer,
                    bytesFromPeer,
                    firstMicros,
                    lastMicros,
                    iface,
                    pcap);
        }
    }

    final Map<String, Flow> flows = new LinkedHashMap<>();
    long packets;
    long ipPackets;
    long otherPackets;
    long malformed;
    int linkType = -1;
    /** The pcap's byte order, which is also that of an NFLOG record's TLV headers (the writing host's). */
    private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;

    private final Set<Integer> portsOfInterest;

    PcapFlows(Collection<Integer> portsOfInterest) {
        this.portsOfInterest = Set.copyOf(portsOfInterest);
    }

    static PcapFlows read(Path pcap, Collection<Integer> ports) throws IOException {
        PcapFlows f = new PcapFlows(ports);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(pcap))) {
            f.parse(in);
        }
        return f;
    }

    void parse(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] gh = new byte[24];
        try {
            in.readFully(gh);
        } catch (EOFException e) {
            return; // empty capture (tcpdump killed before writing the header)
        }
        ByteBuffer g = ByteBuffer.wrap(gh).order(ByteOrder.LITTLE_ENDIAN);
        int magic = g.getInt(0);
        ByteOrder order;
        boolean nanos;
        switch (magic) {
            case 0xa1b2c3d4 -> {
                order = ByteOrder.LITTLE_ENDIAN;
                nanos = false;
            }
            case 0xa1b23c4d -> {
                order = ByteOrder.LITTLE_ENDIAN;
                nanos = true;
            }
            case 0xd4c3b2a1 -> {
                order = ByteOrder.BIG_ENDIAN;
                nanos = false;
            }
            case 0x4d3cb2a1 -> {
                order = ByteOrder.BIG_ENDIAN;
                nanos = true;
            }
            default -> throw new IOException("not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        g.order(order);
        byteOrder = order;
        linkType = g.getInt(20) & 0x0fffffff;
        byte[] rh = new byte[16];
        while (true) {
            try {
                in.readFully(rh);
            } catch (EOFException e) {
                return;
            }
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long sec = r.getInt(0) & 0xffffffffL;
            long frac = r.getInt(4) & 0xffffffffL;
            int incl = r.getInt(8);
            int orig = r.getInt(12);
            if (incl < 0 || incl > 16 * 1024 * 1024) {
                malformed++;
                return;
            }
            byte[] data = new byte[incl];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                malformed++; // truncated last record (tcpdump killed mid-write)
                return;
            }
            packets++;
            long micros = sec * 1_000_000 + (nanos ? frac / 1000 : frac);
            try {
                packet(data, orig, micros);
            } catch (RuntimeException e) {
                malformed++;
            }
        }
    }

    private void packet(byte[] d, int origLen, long micros) {
        int off;
        int etherType;
        switch (linkType) {
            case 1 -> { // Ethernet
                off = 14;
                etherType = u16(d, 12);
                while (etherType == 0x8100 || etherType == 0x88a8) {
                    etherType = u16(d, off + 2);
                    off += 4;
                }
            }
            case 113 -> { // Linux cooked v1
                off = 16;
                etherType = u16(d, 14);
            }
            case 276 -> { // Linux cooked v2
                off = 20;
                etherType = u16(d, 0);
            }
            case 12, 14, 101 -> { // raw IP
                off = 0;
                etherType = (d[0] >> 4 & 0xf) == 6 ? 0x86dd : 0x0800;
            }
            case 239 -> { // NFLOG: family, version, group, then TLVs of which NFULA_PAYLOAD (9) is the IP packet
                off = nflogPayload(d);
                if (off < 0) {
                    otherPackets++;
                    return;
                }
                etherType = d[0] == 10 ? 0x86dd : 0x0800;
            }
            case 0 -> { // BSD loopback: host-order family
                off = 4;
                etherType = (d[off] >> 4 & 0xf) == 6 ? 0x86dd : 0x0800;
            }
            default -> {
                otherPackets++;
                return;
            }
        }
        String src;
        String dst;
        int proto;
        int l4;
        long ipLen;
        if (etherType == 0x0800) {
            int ihl = (d[off] & 0xf) * 4;
            ipLen = u16(d, off + 2);
            proto = d[off + 9] & 0xff;
            src = addr(Arrays.copyOfRange(d, off + 12, off + 16));
            dst = addr(Arrays.copyOfRange(d, off + 16, off + 20));
            int fragOff = u16(d, off + 6) & 0x1fff;
            if (fragOff != 0) {
                proto = -1; // non-first fragment: no ports
            }
            l4 = off + ihl;
        } else if (etherType == 0x86dd) {
            ipLen = 40L + u16(d, off + 4);
            proto = d[off + 6] & 0xff;
            src = addr(Arrays.copyOfRange(d, off + 8, off + 24));
            dst = addr(Arrays.copyOfRange(d, off + 24, off + 40));
            l4 = off + 40;
            while (proto == 0 || proto == 43 || proto == 60 || proto == 44) { // hop-by-hop, routing, dest opts, frag
                int next = d[l4] & 0xff;
                int len = proto == 44 ? 8 : (d[l4 + 1] & 0xff) * 8 + 8;
                proto = next;
                l4 += len;
            }
        } else {
            otherPackets++;
            return;
        }
        ipPackets++;
        String name;
        int sport = 0;
        int dport = 0;
        if (proto == 6 || proto == 17) {
            name = proto == 6 ? "tcp" : "udp";
            sport = u16(d, l4);
            dport = u16(d, l4 + 2);
        } else if (proto == 1 || proto == 58) {
            name = proto == 1 ? "icmp" : "icmpv6";
        } else {
            name = "ip-proto-" + proto;
        }
        String key = name + " " + endpointPair(src, sport, dst, dport);
        Flow f = flows.get(key);
        if (f == null) {
            boolean dstIsPeer;
            int flags = proto == 6 && l4 + 13 < d.length ? d[l4 + 13] & 0x12 : 0; // SYN 0x02, ACK 0x10
            if (flags == 0x02 || flags == 0x12) {
                dstIsPeer = flags == 0x02; // the opening SYN goes to the peer, its SYN-ACK comes from it
            } else if (portsOfInterest.contains(dport) != portsOfInterest.contains(sport)) {
                dstIsPeer = portsOfInterest.contains(dport);
            } else {
                dstIsPeer = dport <= sport;
            }
            f = dstIsPeer ? new Flow(name, dst, dport, src, sport) : new Flow(name, src, sport, dst, dport);
            flows.put(key, f);
        }
        boolean dstIsPeer = f.port == dport && f.peer.equals(dst);
        f.packets++;
        f.bytes += ipLen;
        if (dstIsPeer) {
            f.bytesToPeer += ipLen;
        } else {
            f.bytesFromPeer += ipLen;
        }
        f.firstMicros = Math.min(f.firstMicros, micros);
        f.lastMicros = Math.max(f.lastMicros, micros);
    }

    /** The two endpoints in an order that does not depend on the packet's direction. */
    private static String endpointPair(String a, int aPort, String b, int bPort) {
        String first = a + ":" + aPort;
        String second = b + ":" + bPort;
        return first.compareTo(second) <= 0 ? first + " " + second : second + " " + first;
    }

    /** Where an NFLOG record's packet starts, or -1 when it carries none. */
    private int nflogPayload(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d).order(byteOrder);
        int off = 4;
        while (off + 4 <= d.length) {
            int length = b.getShort(off) & 0xffff;
            int type = b.getShort(off + 2) & 0x7fff;
            if (length < 4) {
                throw new IllegalArgumentException("NFLOG TLV of length " + length);
            }
            if (type == 9) {
                return off + 4;
            }
            off += (length + 3) & ~3;
        }
        return -1;
    }

    /** One record per flow, captured on {@code iface} into {@code pcap}. */
    List<NetworkFlow> flows(String iface, String pcap) {
        List<NetworkFlow> out = new ArrayList<>();
        for (Flow f : flows.values()) {
            out.add(f.record(iface, pcap));
        }
        return out;
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xff) << 8 | d[i + 1] & 0xff;
    }

    private static String addr(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
