package dev.tributary.store.api;

import java.util.Objects;
import java.util.OptionalInt;

/** A shard to open in {@link ShardStore#reshard}. */
public record NewShard(KeyRange keyRange, OptionalInt parent, OptionalInt adjacentParent) {
    public NewShard {
        Objects.requireNonNull(keyRange, "keyRange");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(adjacentParent, "adjacentParent");
    }
}
