package io.gitcrq.model.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Merkle tree of RFC 6962 (Certificate Transparency), section 2.1, over SHA-256: a leaf's hash is
 * SHA-256(0x00 ‖ data), an interior node's SHA-256(0x01 ‖ left ‖ right), and a tree of n &gt; 1 leaves splits at the
 * largest power of two below n. An audit path (inclusion proof) lists the sibling hashes from the leaf up; with it,
 * the leaf's index and the tree's size anyone recomputes the root (the verification algorithm of RFC 9162, 2.1.3.2).
 * A host signs one root per batch of audit events ({@link AuditSignature}), and each event stays checkable alone.
 */
public final class MerkleTree {

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
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
