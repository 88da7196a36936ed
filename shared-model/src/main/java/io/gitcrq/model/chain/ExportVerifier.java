package io.gitcrq.model.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.signature.Ed25519;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies an audit export (the JSON lines of {@code GET /audit/export}) without the service: each event line's hash,
 * the links between a host's consecutive lines (from the genesis hash, or from the host's retention checkpoint line),
 * each host signature with the host's public key (each event alone: its batch statement from its audit path), the host's numbering ({@code hostSeq}) without gaps, and the host's
 * signed heads and audit-collector's signed checkpoint where the export holds them (an export of a whole host does).
 * What it cannot check (a line of a host whose key it was not given, an export starting mid-chain) it reports as
 * not checked, never as fine.
 */
public final class ExportVerifier {

    /** What verifying found: problems (none: ok) and what could not be checked. */
    public record Result(int events, int hosts, List<String> problems, List<String> unchecked) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Map<String, PublicKey> hostKeys;
    private final PublicKey collectorKey;

    /**
     * @param hostKeys the public key of each host whose signatures to check
     * @param collectorKey audit-collector's public key, to check retention checkpoints (null: not checked)
     */
    public ExportVerifier(Map<String, PublicKey> hostKeys, PublicKey collectorKey) {
        this.hostKeys = Map.copyOf(hostKeys);
        this.collectorKey = collectorKey;
    }

    public Result verify(List<String> lines) {
        Map<String, List<JsonNode>> events = new TreeMap<>();
        Map<String, JsonNode> checkpoints = new LinkedHashMap<>();
        Map<String, List<JsonNode>> heads = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            JsonNode line;
            try {
                line = Canonical.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": not JSON");
                continue;
            }
            String record = line.path("record").asText("");
            String host = line.path("host").asText();
            switch (record) {
                case "checkpoint" -> checkpoints.put(host, line);
                case "head" ->
                    heads.computeIfAbsent(host, h -> new ArrayList<>()).add(line);
                default -> {
                    events.computeIfAbsent(host, h -> new ArrayList<>()).add(line);
                    count++;
                }
            }
        }
        for (Map.Entry<String, List<JsonNode>> host : events.entrySet()) {
            verifyHost(host.getKey(), host.getValue(), checkpoints.get(host.getKey()), problems, unchecked);
        }
        for (Map.Entry<String, List<JsonNode>> host : heads.entrySet()) {
            verifyHeads(
                    host.getKey(),
                    host.getValue(),
                    events.getOrDefault(host.getKey(), List.of()),
                    checkpoints.get(host.getKey()),
                    problems,
                    unchecked);
        }
        checkpoints.forEach((host, c) -> verifyCheckpoint(host, c, problems, unchecked));
        return new Result(count, events.size(), problems, unchecked);
    }

    private void verifyHost(
            String host, List<JsonNode> lines, JsonNode checkpoint, List<String> problems, List<String> unchecked) {
        lines.sort(Comparator.comparingLong(l -> l.path("sequence").asLong()));
        PublicKey key = hostKeys.get(host);
        boolean hostChain = !host.startsWith("gitcrq/");
        long first = lines.get(0).path("sequence").asLong();
        String prevHash = null;
        Long prevSequence = null;
        if (first == 1) {
            prevHash = ChainHash.GENESIS;
            prevSequence = 0L;
        } else if (checkpoint != null && checkpoint.path("sequence").asLong() == first - 1) {
            prevHash = checkpoint.path("hash").asText();
            prevSequence = first - 1;
        } else {
            unchecked.add(host + ": the export starts at sequence " + first + " (no checkpoint line before it)");
        }
        Long lastHostSeq = checkpoint == null || checkpoint.path("hostSeq").isNull()
                ? null
                : checkpoint.path("hostSeq").asLong();
        String lastKeyId =
                checkpoint == null ? null : checkpoint.path("hostKeyId").asText(null);
        boolean whole = prevSequence != null;
        int unsigned = 0;
        int unknownKey = 0;
        Set<String> verified = new HashSet<>();
        for (JsonNode line : lines) {
            long sequence = line.path("sequence").asLong();
            String at = host + " sequence " + sequence + " (event "
                    + line.path("eventId").asText() + ")";
            String hash = ChainHash.hash(line.path("prevHash").asText(), hashedForm(line));
            if (!hash.equals(line.path("hash").asText())) {
                problems.add(at + ": row changed (its hash does not recompute)");
            }
            if (prevSequence != null) {
                if (sequence != prevSequence + 1) {
                    problems.add(at + ": row missing (sequence " + (prevSequence + 1) + " is not in the export)");
                    whole = false;
                } else if (!line.path("prevHash").asText().equals(prevHash)) {
                    problems.add(at + ": link broken (prevHash is not the hash before it)");
                }
            }
            prevSequence = sequence;
            prevHash = line.path("hash").asText();
            if (!hostChain) {
                continue;
            }
            if (!line.hasNonNull("hostSeq")) {
                unsigned++;
                continue;
            }
            long hostSeq = line.path("hostSeq").asLong();
            String keyId = line.path("keyId").asText();
            if (key == null) {
                unknownKey++;
            } else if (!keyId.equals(Ed25519.fingerprint(key))) {
                problems.add(at + ": signed with key " + keyId + ", not the key given for the host");
            } else if (!verifies(key, keyId, line, verified)) {
                problems.add(at + ": signature invalid (the host did not sign this content)");
            }
            if (whole) {
                long expected = lastHostSeq == null ? 1 : lastHostSeq + 1;
                boolean restarted = lastHostSeq != null && !keyId.equals(lastKeyId) && hostSeq == 1;
                if (hostSeq != expected && !restarted) {
                    problems.add(at + ": hostSeq gap (" + hostSeq + " where " + expected + " comes next)");
                }
            }
            lastHostSeq = hostSeq;
            lastKeyId = keyId;
        }
        if (unknownKey > 0) {
            unchecked.add(host + ": " + unknownKey + " signature(s) not checked (no --host-key for the host)");
        }
        if (unsigned > 0) {
            unchecked.add(host + ": " + unsigned + " event(s) without a host signature (stored before hosts signed)");
        }
    }

    private void verifyHeads(
            String host,
            List<JsonNode> heads,
            List<JsonNode> events,
            JsonNode checkpoint,
            List<String> problems,
            List<String> unchecked) {
        PublicKey key = hostKeys.get(host);
        for (JsonNode head : heads) {
            long lastSeq = head.path("lastSeq").asLong();
            String keyId = head.path("keyId").asText();
            String at = host + " head at hostSeq " + lastSeq;
            if (key == null) {
                unchecked.add(at + ": not checked (no --host-key for the host)");
            } else if (!AuditSignature.verifyHead(
                    new AuditHeadSigned(
                            host,
                            lastSeq,
                            head.path("lastDigest").asText(),
                            Instant.parse(head.path("signedAt").asText()),
                            keyId,
                            head.path("signature").asText()),
                    key)) {
                problems.add(at + ": signature invalid");
                continue;
            }
            Optional<JsonNode> named = events.stream()
                    .filter(e -> keyId.equals(e.path("keyId").asText())
                            && e.path("hostSeq").asLong() == lastSeq)
                    .findFirst();
            if (named.isPresent()) {
                if (!AuditSignature.digest(signedForm(named.get()))
                        .equals(head.path("lastDigest").asText())) {
                    problems.add(at + ": chain truncated (another event is there than the host signed)");
                }
            } else if (checkpoint == null
                    || !keyId.equals(checkpoint.path("hostKeyId").asText())
                    || checkpoint.path("hostSeq").asLong() < lastSeq) {
                problems.add(at + ": " + (events.isEmpty() ? "chain deleted" : "chain truncated")
                        + " (the export has no event numbered " + lastSeq + ")");
            }
        }
    }

    private void verifyCheckpoint(String host, JsonNode c, List<String> problems, List<String> unchecked) {
        String at =
                host + " retention checkpoint at sequence " + c.path("sequence").asLong();
        if (collectorKey == null) {
            unchecked.add(at + ": not checked (no --collector-key)");
            return;
        }
        String form = AuditSignature.checkpointCanonical(
                host,
                c.path("sequence").asLong(),
                c.path("hash").asText(),
                c.path("hostSeq").isNull() ? null : c.path("hostSeq").asLong(),
                c.path("hostKeyId").asText(null),
                Instant.parse(c.path("cutoff").asText()),
                c.path("deleted").asLong());
        if (!Ed25519.verify(collectorKey, form, c.path("signature").asText(null))) {
            problems.add(at + ": checkpoint unsigned (not audit-collector's signature)");
        }
    }

    /** The canonical text a line's hash is computed over: the line without the fields that are not hashed. */
    static String hashedForm(JsonNode line) {
        ObjectNode hashed = line.deepCopy();
        hashed.remove(List.of(ChainHash.NOT_HASHED));
        return Canonical.of(hashed);
    }

    /**
     * Whether the line's batch signature verifies over the statement recomputed from the line alone (its signed
     * form, hostSeq, batch and audit path); a statement verified once ({@code verified}) is not verified again.
     */
    private static boolean verifies(PublicKey key, String keyId, JsonNode line, Set<String> verified) {
        List<String> proof = new ArrayList<>();
        line.path("batchProof").forEach(p -> proof.add(p.asText()));
        Optional<String> statement = AuditSignature.statement(
                line.path("host").asText(),
                signedForm(line),
                line.path("hostSeq").asLong(),
                line.hasNonNull("batchFirstSeq") ? line.path("batchFirstSeq").asLong() : null,
                line.hasNonNull("batchSize") ? line.path("batchSize").asInt() : null,
                line.path("batchProof").isArray() ? proof : null);
        if (statement.isEmpty()) {
            return false;
        }
        String signature = line.path("signature").asText();
        String seen = keyId + "\n" + statement.get() + "\n" + signature;
        if (verified.contains(seen)) {
            return true;
        }
        boolean ok = Ed25519.verify(key, statement.get(), signature);
        if (ok) {
            verified.add(seen);
        }
        return ok;
    }

    /** The signed form of an event line. */
    static String signedForm(JsonNode line) {
        return AuditSignature.canonical(
                line.path("host").asText(),
                line.path("crqId").isNull() ? null : line.path("crqId").asText(),
                line.path("kind").asText(),
                Instant.parse(line.path("occurredAt").asText()),
                line.path("payload"),
                line.path("hostSeq").asLong());
    }
}
