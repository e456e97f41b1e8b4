package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.store.api.StreamInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Small helpers for operations that change a stream's Kinesis attributes. */
final class StreamSettings {
    private StreamSettings() {
    }

    /** Applies {@code change} to a copy of the stream's attributes, atomically, and returns the new stream. */
    static StreamInfo update(KinesisBackend kinesis, StreamInfo info, Consumer<Map<String, String>> change) {
        return kinesis.store().updateStream(info.name(), attrs -> {
            Map<String, String> next = new HashMap<>(attrs);
            change.accept(next);
            return next;
        }, null);
    }

    static StreamInfo retention(KinesisBackend kinesis, StreamInfo info, int hours) {
        return kinesis.store().updateStream(info.name(), attrs -> attrs, Duration.ofHours(hours));
    }
}
