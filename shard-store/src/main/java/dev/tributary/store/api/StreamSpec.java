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
 */
public record StreamSpec(String name, int shardCount, Duration retention, Map<String, String> attributes) {
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
    }
}
