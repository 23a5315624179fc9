package dev.strata.digest;

import java.util.List;
import java.util.Optional;

/**
 * ChainIDs name layer stacks: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).
 */
public final class ChainId {
    private ChainId() {
    }

    public static Digest of(Optional<Digest> parentChainId, Digest diffId) {
        return parentChainId.map(parent -> Digester.of(parent + " " + diffId)).orElse(diffId);
    }

    /** The ChainID of every prefix of {@code diffIds}, bottom layer first. */
    public static List<Digest> chain(List<Digest> diffIds) {
        Digest[] out = new Digest[diffIds.size()];
        Optional<Digest> parent = Optional.empty();
        for (int i = 0; i < out.length; i++) {
            out[i] = of(parent, diffIds.get(i));
            parent = Optional.of(out[i]);
        }
        return List.of(out);
    }
}
