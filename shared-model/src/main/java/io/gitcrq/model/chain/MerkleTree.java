package io.gitcrq.model.chain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Merkle tree of RFC 6962 (Certificate Transparency), section 2.1, over SHA-256: a leaf's hash is
 * SHA-256(0x00 ‖ data), an interior node's SHA-256(0x01 ‖ left ‖ right), and a tree of n &gt; 1 leaves splits at the
 * largest power of two below n. An audit path (inclusion proof) lists the sibling hashes from the leaf up; with it,
 * the leaf's index and the tree's size anyone recomputes the root (the verification algorithm of RFC 9162, 2.1.3.2).
 * A host signs one root per batch of audit events ({@link AuditSignature}), and each event stays checkable alone.
 */
public final class MerkleTree {

    /** One digest per thread: a provider look-up per hash cost more than some of the hashes. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleTree::newSha256);

    private MerkleTree() {}

    /** SHA-256(0x00 ‖ data): the hash of a leaf. */
    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        return sha.digest(data);
    }

    /** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    /**
     * Interior node hashes computed before ({@link #nodeHash} is a pure function of its two children, so a hit is
     * exactly what hashing again gives). The events of one batch share the upper nodes of their audit paths: with a
     * memo, checking each of a batch's n events alone costs about n node hashes in all instead of n·log n. Bounded
     * (the oldest entries go first) and safe for several threads.
     */
    public static final class Memo {

        private final Map<ByteBuffer, byte[]> nodes;

        public Memo(int capacity) {
            this.nodes = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** {@link #nodeHash}{@code (left, right)}. */
        public byte[] nodeHash(byte[] left, byte[] right) {
            // The whole input is the key (left ‖ right), so a hit can only be the same children.
            ByteBuffer key = ByteBuffer.allocate(left.length + right.length + 4);
            key.putInt(left.length).put(left).put(right).flip();
            synchronized (nodes) {
                byte[] known = nodes.get(key);
                if (known != null) {
                    return known.clone();
                }
            }
            byte[] hash = MerkleTree.nodeHash(left, right);
            synchronized (nodes) {
                nodes.put(key, hash.clone());
            }
            return hash;
        }
    }

    /** A tree's root and each leaf's audit path, computed together (n log n hashes, not one tree walk per leaf). */
    public record Tree(byte[] root, List<List<byte[]>> paths) {}

    /** The tree over these leaf hashes (at least one). */
    public static Tree of(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            throw new IllegalArgumentException("a tree needs at least one leaf");
        }
        List<List<byte[]>> paths = new ArrayList<>(leafHashes.size());
        for (int i = 0; i < leafHashes.size(); i++) {
            paths.add(new ArrayList<>());
        }
        byte[] root = build(leafHashes, 0, leafHashes.size(), paths);
        return new Tree(root, paths);
    }

    /** The root of leaves [from, to), appending each sibling to the paths below it: deeper siblings first. */
    private static byte[] build(List<byte[]> leaves, int from, int to, List<List<byte[]>> paths) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        byte[] left = build(leaves, from, from + k, paths);
        byte[] right = build(leaves, from + k, to, paths);
        for (int i = from; i < from + k; i++) {
            paths.get(i).add(right);
        }
        for (int i = from + k; i < to; i++) {
            paths.get(i).add(left);
        }
        return nodeHash(left, right);
    }

    /**
     * The root that a leaf hash at {@code index} of a tree of {@code size} leaves and its audit path lead to; empty
     * when the path cannot belong to such a leaf (an index outside the tree, a path too short or too long).
     */
    public static Optional<byte[]> rootFromPath(byte[] leafHash, long index, long size, List<byte[]> path) {
        return rootFromPath(leafHash, index, size, path, null);
    }

    /** {@link #rootFromPath(byte[], long, long, List)}, its node hashes looked up in {@code memo} first (if any). */
    public static Optional<byte[]> rootFromPath(byte[] leafHash, long index, long size, List<byte[]> path, Memo memo) {
        if (index < 0 || size < 1 || index >= size) {
            return Optional.empty();
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = memo == null ? nodeHash(p, r) : memo.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = memo == null ? nodeHash(r, p) : memo.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    private static MessageDigest sha256() {
        MessageDigest sha = SHA256.get();
        sha.reset(); // in case a hash before was left unfinished (an exception between update and digest)
        return sha;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
