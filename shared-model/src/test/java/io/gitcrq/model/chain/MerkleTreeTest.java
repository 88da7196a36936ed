package io.gitcrq.model.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 6962's Merkle tree: the roots of Certificate Transparency's reference test data (the eight leaves of its
 * merkle_tree_test), and every audit path of trees of 1 to 7 leaves checked against them.
 */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The leaf data of the reference test data. */
    private static final String[] LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };

    /** The root of the first 1, 2, ... 8 leaves, as the reference test data has them. */
    private static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleTree.leafHash(HEX.parseHex(LEAVES[i])));
        }
        return leaves;
    }

    @Test
    void theRootsAreThoseOfTheReferenceTestData() {
        for (int n = 1; n <= 8; n++) {
            assertThat(HEX.formatHex(MerkleTree.of(leaves(n)).root()))
                    .as("root of %d leaves", n)
                    .isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void aTreeOfOneLeafHasTheLeafAsRootAndAnEmptyPath() {
        MerkleTree.Tree tree = MerkleTree.of(leaves(1));
        assertThat(tree.root()).isEqualTo(leaves(1).get(0));
        assertThat(tree.paths().get(0)).isEmpty();
    }

    @Test
    void everyLeafOfTreesOfOneToSevenLeavesLeadsToTheRootAndNothingElseDoes() {
        for (int n = 1; n <= 7; n++) {
            List<byte[]> leaves = leaves(n);
            MerkleTree.Tree tree = MerkleTree.of(leaves);
            for (int i = 0; i < n; i++) {
                String at = "leaf " + i + " of " + n;
                List<byte[]> path = tree.paths().get(i);
                assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, path))
                        .as(at)
                        .hasValueSatisfying(r -> assertThat(HEX.formatHex(r)).isEqualTo(ROOTS[leaves.size() - 1]));
                // Another index: another root, or no root at all.
                for (int j = 0; j < n + 1; j++) {
                    if (j != i) {
                        assertThat(MerkleTree.rootFromPath(leaves.get(i), j, n, path)
                                        .map(HEX::formatHex))
                                .as(at + " as index " + j)
                                .isNotEqualTo(java.util.Optional.of(ROOTS[n - 1]));
                    }
                }
                // Another leaf.
                byte[] changed = MerkleTree.leafHash(HEX.parseHex("ff"));
                assertThat(MerkleTree.rootFromPath(changed, i, n, path).map(HEX::formatHex))
                        .as(at + " changed")
                        .isNotEqualTo(java.util.Optional.of(ROOTS[n - 1]));
                // Another tree size may give the same root (leaf 0 of 3 and of 4 share a path's shape): the size
                // is in what the host signs (AuditSignatureTest).
                // Each hash of the path changed, and the path one hash short or long.
                for (int k = 0; k < path.size(); k++) {
                    List<byte[]> bad = new ArrayList<>(path);
                    byte[] flipped = bad.get(k).clone();
                    flipped[0] ^= 1;
                    bad.set(k, flipped);
                    assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, bad).map(HEX::formatHex))
                            .as(at + " path hash " + k + " changed")
                            .isNotEqualTo(java.util.Optional.of(ROOTS[n - 1]));
                }
                List<byte[]> longer = new ArrayList<>(path);
                longer.add(leaves.get(0));
                assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, longer)).isEmpty();
                if (!path.isEmpty()) {
                    assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, path.subList(0, path.size() - 1)))
                            .isEmpty();
                }
            }
        }
    }

    /**
     * With a memo of node hashes shared by every check (as audit-collector keeps one), every path of trees of 1 to 40
     * leaves, right or with one hash changed, at its index or another, leads where it leads without.
     */
    @Test
    void aMemoOfNodeHashesChangesNoResult() {
        MerkleTree.Memo memo = new MerkleTree.Memo(64); // small: entries are evicted along the way too
        for (int n = 1; n <= 40; n++) {
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                leaves.add(MerkleTree.leafHash(new byte[] {(byte) n, (byte) i}));
            }
            MerkleTree.Tree tree = MerkleTree.of(leaves);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = tree.paths().get(i);
                List<List<byte[]>> variants = new ArrayList<>();
                variants.add(path);
                for (int k = 0; k < path.size(); k++) {
                    List<byte[]> bad = new ArrayList<>(path);
                    byte[] flipped = bad.get(k).clone();
                    flipped[31] ^= 1;
                    bad.set(k, flipped);
                    variants.add(bad);
                }
                for (List<byte[]> p : variants) {
                    for (int j : new int[] {i, (i + 1) % n}) {
                        assertThat(MerkleTree.rootFromPath(leaves.get(i), j, n, p, memo)
                                        .map(HEX::formatHex))
                                .as("leaf %d of %d as index %d", i, n, j)
                                .isEqualTo(MerkleTree.rootFromPath(leaves.get(i), j, n, p)
                                        .map(HEX::formatHex));
                    }
                }
                assertThat(MerkleTree.rootFromPath(leaves.get(i), i, n, path, memo))
                        .hasValueSatisfying(r -> assertThat(r).isEqualTo(tree.root()));
            }
        }
    }
}
