/**
 * Audit sources: real capture mechanisms started around one managed command, each turning what it sees into
 * {@link io.gitcrq.audit.sources.AuditRecord}s of its kind and counting what it saw, captured and dropped
 * ({@link io.gitcrq.audit.sources.SourceCounters}: {@code seen = captured + dropped}, drops by reason); at stop it
 * reads its tool's output to the end (bounded) before its summary.
 *
 * <pre>{@code
 * AuditSource src = AuditSources.create("process", workDir);   // or new FileSource(), new HttpProxySource(), ...
 * src.start(AuditTarget.pid(panePid).withDirectories(List.of(repo)), record -> publish(record));
 * Map<String, String> env = src.environment();                 // only "http" has any: inject into the pane
 * ...
 * SourceCounters counters = src.stop();                        // last record delivered: "<kind>.summary"
 * }</pre>
 *
 * Kinds and mechanisms: {@code file} (inotifywait, WatchService fallback), {@code process} with eBPF (our gitcrq-proctrace
 * on the command's {@link io.gitcrq.audit.sources.CommandCgroup}, see
 * {@link io.gitcrq.audit.sources.EbpfProcessSource}), {@code process} and {@code syscall} with strace (attached, or following the strace the command is started under, see {@link
 * io.gitcrq.audit.sources.StraceFollowing}; one tracer per process, so not both on one tree), {@code route} (ip monitor route, optionally in a
 * netns), {@code network} (tcpdump to a kept pcap, flows parsed at stop; the command's own connections when the target
 * names its {@link io.gitcrq.audit.sources.CommandCgroup}, see {@link io.gitcrq.audit.sources.CgroupPacketLog}), {@code http} (own blocking proxy on
 * 127.0.0.1, CONNECT tunnels relayed without TLS interception). Requires Linux; tools need root or the matching
 * capabilities (CAP_SYS_PTRACE, CAP_NET_RAW, CAP_NET_ADMIN for netns and the command's netfilter rules, CAP_BPF and
 * CAP_PERFMON for eBPF).
 */
package io.gitcrq.audit.sources;
