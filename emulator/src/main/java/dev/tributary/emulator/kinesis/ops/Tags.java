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

    /** AWS orders tag keys by code point, where Java's String order is by UTF-16 unit. */
    static final java.util.Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** The resource's tags, sorted by key in code-point order. */
    static TreeMap<String, String> of(StreamInfo info, String consumer) {
        String prefix = prefix(consumer);
        TreeMap<String, String> tags = new TreeMap<>(CODE_POINT_ORDER);
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

    /**
     * Adds or overwrites tags, refusing to go over 50 on the resource. AWS's texts, quirks included:
     * its message still says 10 tags, the limit of old (docs/research/kinesis-error-texts-2.md 1.1),
     * and '%' is refused by a second check although the first message lists it as valid.
     */
    static void add(KinesisBackend kinesis, StreamRef ref, StreamInfo info, String consumer, Map<String, String> add) {
        checkCharacters(ref, add, "add tags to");
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
                throw KinesisBackend.invalidArgument("Failed to add tags to stream " + ref.name()
                        + " under account " + ref.account() + " because a given stream cannot have more than "
                        + "10 tags associated with it.");
            }
            add.forEach((k, v) -> attrs.put(prefix + k, v == null ? "" : v));
        });
    }

    private static final java.util.regex.Pattern VALID = java.util.regex.Pattern.compile("[\\p{L}\\p{N}\\s_./=+\\-%@:]*");

    static void checkCharacters(StreamRef ref, Map<String, String> tags, String verb) {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            for (String s : new String[] {e.getKey(), value}) {
                if (!VALID.matcher(s).matches() || s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0) {
                    throw KinesisBackend.invalidArgument("Some tags contain invalid characters. Valid characters: "
                            + "Unicode letters, digits, white space, _ . / = + - % @.");
                }
            }
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().indexOf('%') >= 0 || (e.getValue() != null && e.getValue().indexOf('%') >= 0)) {
                throw KinesisBackend.invalidArgument("Failed to " + verb + " stream " + ref.name() + " under account "
                        + ref.account() + " because some tags contained illegal characters. The allowed characters "
                        + "are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.");
            }
        }
    }

    static void remove(KinesisBackend kinesis, StreamInfo info, String consumer, Collection<String> keys) {
        String prefix = prefix(consumer);
        StreamSettings.update(kinesis, info, attrs -> keys.forEach(k -> attrs.remove(prefix + k)));
    }
}
