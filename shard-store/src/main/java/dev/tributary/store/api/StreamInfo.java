package dev.tributary.store.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of a stream's topology and settings.
 *
 * @param name       the stream's name
 * @param id         a store-assigned identifier, unique for the store's lifetime (a stream
 *                   deleted and re-created under the same name gets a new id)
 * @param createdAt  when the stream was created, from the store's clock
 * @param retention  how long records stay readable
 * @param shards     every shard ever created in the stream, open and closed, ordered by index
 * @param attributes opaque front-end attributes
 * @param version    increases by one with every change to the stream
 */
public record StreamInfo(String name, long id, Instant createdAt, Duration retention,
                         List<ShardInfo> shards, Map<String, String> attributes, long version) {
    public StreamInfo {
        shards = List.copyOf(shards);
        attributes = Map.copyOf(attributes);
    }

    /** The shard with that index, if the stream has it. */
    public Optional<ShardInfo> shard(int index) {
        if (index >= 0 && index < shards.size() && shards.get(index).index() == index) {
            return Optional.of(shards.get(index));
        }
        return shards.stream().filter(s -> s.index() == index).findFirst();
    }

    /** The open shards, ordered by index. */
    public List<ShardInfo> openShards() {
        return shards.stream().filter(ShardInfo::isOpen).toList();
    }
}
