package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Tag;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.store.api.StreamInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tags of streams and consumers, kept in the stream's attributes under a prefix per resource
 * ({@code tag:} for the stream, {@code ctag:<consumer>:} for a consumer), at most 50 per resource.
 */
final class Tags {
    static final int MAX_TAGS = 50;

    private Tags() {
    }

    /** The attribute prefix of a resource's tags: the stream's when consumer is null. */
    static String prefix(String consumer) {
        return consumer == null ? KinesisBackend.TAG_PREFIX : "ctag:" + consumer + ":";
    }

    /** The resource's tags, sorted by key. */
    static TreeMap<String, String> of(StreamInfo info, String consumer) {
        String prefix = prefix(consumer);
        TreeMap<String, String> tags = new TreeMap<>();
        info.attributes().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                tags.put(k.substring(prefix.length()), v);
            }
        });
        return tags;
    }

    static List<Tag> list(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(new Tag(k, v)));
        return out;
    }

    /** Adds or overwrites tags, refusing to go over 50 on the resource. */
    static void add(KinesisBackend kinesis, StreamRef ref, StreamInfo info, String consumer, Map<String, String> add) {
        for (String key : add.keySet()) {
            if (key.startsWith("aws:")) {
                throw KinesisBackend.invalidArgument("Tag key " + key + " is invalid. Keys may not start with 'aws:'.");
            }
        }
        String prefix = prefix(consumer);
        StreamSettings.update(kinesis, info, attrs -> {
            TreeMap<String, String> current = new TreeMap<>();
            attrs.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    current.put(k.substring(prefix.length()), v);
                }
            });
            current.putAll(add);
            if (current.size() > MAX_TAGS) {
                throw new AwsException(KinesisError.LIMIT_EXCEEDED, "Failed to add tags to stream " + ref.name()
                        + " under account " + ref.account() + " because a given stream cannot have more than "
                        + MAX_TAGS + " tags associated with it.");
            }
            add.forEach((k, v) -> attrs.put(prefix + k, v == null ? "" : v));
        });
    }

    static void remove(KinesisBackend kinesis, StreamInfo info, String consumer, Collection<String> keys) {
        String prefix = prefix(consumer);
        StreamSettings.update(kinesis, info, attrs -> keys.forEach(k -> attrs.remove(prefix + k)));
    }
}
