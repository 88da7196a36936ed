package io.gitcrq.audit.sources;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Netfilter rules (iptables and ip6tables) that copy the packets of one cgroup's connections to an NFLOG group, where
 * tcpdump reads them ({@code tcpdump -i nflog:<group>}): the {@code network} source's way to see a command's traffic
 * and nothing else of the host's. Three rules per family, each with the comment {@code gitcrq:<cgroup path>}:
 * <ol>
 *   <li>{@code OUTPUT}: a packet sent by a socket of the cgroup's processes marks its connection (conntrack mark,
 *       the upper 16 bits only: the group number);</li>
 *   <li>{@code OUTPUT}: every packet of a marked connection goes to the group — on loopback that is both
 *       directions, since a packet to a local socket leaves through OUTPUT first;</li>
 *   <li>{@code INPUT}, except from {@code lo}: every packet of a marked connection arriving from elsewhere.</li>
 * </ol>
 * What this cannot see: the packets of a connection into a server the command runs before its first answer (the
 * client's SYN and ACK; the server's socket marks the connection with its first packet), and traffic the command
 * hands to a process outside its cgroup (a daemon it asks to connect for it).
 *
 * <p>Groups are taken in turn from a range, starting at random, so a connection a command left open keeps a mark that
 * comes back only after thousands of other commands, and two agents on one host seldom take the same group (the second
 * tcpdump could not bind it: that command's source would not start, saying so). Needs iptables with the {@code cgroup}, {@code connmark},
 * {@code CONNMARK} and {@code NFLOG} extensions, and CAP_NET_ADMIN.
 */
final class CgroupPacketLog implements AutoCloseable {

    static final String COMMENT_PREFIX = "gitcrq:";

    private static final int FIRST_GROUP = 0x6000;
    private static final int GROUPS = 0x1000;
    private static final String MARK_MASK = "0xffff0000";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final BitSet IN_USE = new BitSet(GROUPS);
    /** Where this process starts taking groups: at random, so that two agents on one host seldom meet. */
    private static int next = ThreadLocalRandom.current().nextInt(GROUPS);

    private final int group;
    private final List<List<String>> installed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private CgroupPacketLog(int group) {
        this.group = group;
    }

    /**
     * Installs the rules for the cgroup at {@code cgroupPath} (from the hierarchy's root, see
     * {@link CommandCgroup#path()}). IPv4's rules must go in; IPv6's are left out with a {@link #warnings() warning}
     * when this host cannot take them.
     *
     * @throws AuditSourceUnavailableException when iptables is missing or refuses the rules
     */
    static CgroupPacketLog install(String cgroupPath) throws AuditSourceUnavailableException {
        String iptables = ToolProcess.require("iptables", "iptables", "network").toString();
        String ip6tables = ToolProcess.which("ip6tables").map(Object::toString).orElse(null);
        CgroupPacketLog log = new CgroupPacketLog(takeGroup());
        try {
            log.installFamily(iptables, cgroupPath);
        } catch (IOException e) {
            log.close();
            throw new AuditSourceUnavailableException(
                    "cannot install the netfilter rules that single out the command's packets: " + e.getMessage());
        }
        if (ip6tables == null) {
            log.warnings.add("ip6tables is missing: the command's IPv6 packets are not captured");
        } else {
            try {
                log.installFamily(ip6tables, cgroupPath);
            } catch (IOException e) {
                log.warnings.add("the command's IPv6 packets are not captured: " + e.getMessage());
            }
        }
        return log;
    }

    /**
     * The rules of this class installed for cgroups whose path starts with {@code cgroupPathPrefix}, by cgroup path:
     * each as the command that deletes it. A host without iptables has none.
     */
    static Map<String, List<List<String>>> installedUnder(String cgroupPathPrefix) {
        Map<String, List<List<String>>> byCgroup = new LinkedHashMap<>();
        Pattern comment = Pattern.compile(
                " --comment \"?" + Pattern.quote(COMMENT_PREFIX + cgroupPathPrefix) + "([^\" ]*)\"?( |$)");
        for (String tool : List.of("iptables", "ip6tables")) {
            String path = ToolProcess.which(tool).map(Object::toString).orElse(null);
            if (path == null) {
                continue;
            }
            for (String chain : List.of("OUTPUT", "INPUT")) {
                ToolProcess.Outcome rules;
                try {
                    rules = ToolProcess.runToEnd(List.of(path, "-w", "10", "-S", chain), TOOL_TIMEOUT);
                } catch (IOException e) {
                    continue;
                }
                for (String line : rules.output().split("\n")) {
                    Matcher m = comment.matcher(line);
                    if (!line.startsWith("-A " + chain + " ") || !m.find()) {
                        continue;
                    }
                    List<String> delete = new ArrayList<>(List.of(path, "-w", "10", "-D"));
                    for (String word : line.substring(3).split(" ")) {
                        delete.add(word.replace("\"", ""));
                    }
                    byCgroup.computeIfAbsent(cgroupPathPrefix + m.group(1), k -> new ArrayList<>())
                            .add(delete);
                }
            }
        }
        return byCgroup;
    }

    /** Runs the deletions {@link #installedUnder} answered; those that fail are left for the next time. */
    static void remove(List<List<String>> deletions) {
        for (List<String> delete : deletions) {
            try {
                ToolProcess.runToEnd(delete, TOOL_TIMEOUT);
            } catch (IOException e) {
                // left for the next start
            }
        }
    }

    /** The NFLOG group the packets go to. */
    int group() {
        return group;
    }

    /** What could not be set up without keeping the source from starting. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private void installFamily(String tool, String cgroupPath) throws IOException {
        String mark = "0x" + Integer.toHexString(group << 16) + "/" + MARK_MASK;
        String comment = COMMENT_PREFIX + cgroupPath;
        // Threshold 1: each packet goes out at once; the kernel's default holds up to 100 for up to a second, which
        // tcpdump, stopped when the command ends, would never read.
        List<String> group =
                List.of("-j", "NFLOG", "--nflog-group", Integer.toString(this.group), "--nflog-threshold", "1");
        List<String> tag = List.of("-m", "comment", "--comment", comment);
        // Inserted first so that the rule marking the connection, inserted after it, comes before it.
        insert(tool, "OUTPUT", concat(List.of("-m", "connmark", "--mark", mark), tag, group));
        insert(
                tool,
                "OUTPUT",
                concat(
                        List.of("-m", "cgroup", "--path", cgroupPath),
                        tag,
                        List.of("-j", "CONNMARK", "--set-xmark", mark)));
        insert(tool, "INPUT", concat(List.of("!", "-i", "lo", "-m", "connmark", "--mark", mark), tag, group));
    }

    private void insert(String tool, String chain, List<String> rule) throws IOException {
        List<String> command = concat(List.of(tool, "-w", "10", "-I", chain, "1"), rule);
        ToolProcess.Outcome outcome = ToolProcess.runToEnd(command, TOOL_TIMEOUT);
        if (outcome.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + ": " + outcome.output());
        }
        installed.add(concat(List.of(tool, "-w", "10", "-D", chain), rule));
    }

    /** Removes the rules (the last installed first) and gives the group back. Never throws. */
    @Override
    public void close() {
        for (int i = installed.size() - 1; i >= 0; i--) {
            try {
                ToolProcess.runToEnd(installed.get(i), TOOL_TIMEOUT);
            } catch (IOException e) {
                warnings.add("cannot remove a rule: " + e.getMessage());
            }
        }
        installed.clear();
        synchronized (IN_USE) {
            IN_USE.clear(group - FIRST_GROUP);
        }
    }

    private static int takeGroup() throws AuditSourceUnavailableException {
        synchronized (IN_USE) {
            int free = IN_USE.nextClearBit(next);
            if (free >= GROUPS) {
                free = IN_USE.nextClearBit(0);
            }
            if (free >= GROUPS) {
                throw new AuditSourceUnavailableException(
                        "all " + GROUPS + " NFLOG groups of this agent are in use by running commands");
            }
            IN_USE.set(free);
            next = (free + 1) % GROUPS;
            return FIRST_GROUP + free;
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
