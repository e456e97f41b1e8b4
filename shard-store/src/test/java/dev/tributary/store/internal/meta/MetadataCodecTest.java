package dev.tributary.store.internal.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
    static final Instant T = Instant.ofEpochSecond(1_700_000_000, 123_000_000);

    static StreamInfo sample() {
        List<KeyRange> r = KeyRange.evenSplit(2);
        return new StreamInfo("名前/with spaces\n", 17, T, Duration.ofHours(24), List.of(
                new ShardInfo(0, r.get(0), OptionalInt.empty(), OptionalInt.empty(), T, T.plusSeconds(5), 12),
                new ShardInfo(1, r.get(1), OptionalInt.empty(), OptionalInt.empty(), T, null, -1),
                new ShardInfo(2, r.get(0), OptionalInt.of(0), OptionalInt.of(1), T.plusSeconds(5), null, -1)),
                Map.of("status", "ACTIVE", "", "empty key"), 4);
    }

    @Test
    void streamMetadataRoundTrips() {
        StreamInfo s = sample();
        assertThat(MetadataCodec.decodeStream(MetadataCodec.encodeStream(s), "x")).isEqualTo(s);
        assertThat(MetadataCodec.decodeStore(MetadataCodec.encodeStore(99), "x")).isEqualTo(99);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] doc = MetadataCodec.encodeStream(sample());
        for (int i = 0; i < doc.length; i++) {
            byte[] copy = doc.clone();
            copy[i] ^= 0x10;
            assertThatThrownBy(() -> MetadataCodec.decodeStream(copy, "doc")).isInstanceOf(CorruptStoreException.class);
        }
    }

    @Test
    void truncatedDocumentIsRejected() {
        byte[] doc = MetadataCodec.encodeStream(sample());
        byte[] torn = java.util.Arrays.copyOf(doc, doc.length - 1);
        assertThatThrownBy(() -> MetadataCodec.decodeStream(torn, "stream.meta"))
                .isInstanceOf(CorruptStoreException.class).hasMessage("metadata length mismatch in stream.meta");
    }
}
