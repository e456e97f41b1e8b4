package dev.tributary.store.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a new stream looks like.
 *
 * @param name       unique name within the store; any non-empty string (the store never uses it
 *                   as a file name)
 * @param shardCount number of shards, at least 1, evenly splitting the key space
 * @param retention  how long records stay readable; positive
 * @param attributes opaque front-end attributes, copied
 * @param replicationFactor copies of each shard, on distinct nodes; 0 means the store's default
 */
public record StreamSpec(String name, int shardCount, Duration retention, Map<String, String> attributes,
                         int replicationFactor) {

    /** A stream with the store's default replication factor. */
    public StreamSpec(String name, int shardCount, Duration retention, Map<String, String> attributes) {
        this(name, shardCount, retention, attributes, 0);
    }

    public StreamSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1: " + shardCount);
        }
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        attributes = Map.copyOf(attributes);
        if (replicationFactor < 0) {
            throw new IllegalArgumentException("replicationFactor must be >= 0: " + replicationFactor);
        }
    }
}
