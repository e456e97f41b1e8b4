package dev.tributary.emulator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamCodecTest {

    @Test
    void eventRoundTripsWithHeadersAndPayload() {
        byte[] bytes = EventStreamCodec.event("SubscribeToShardEvent", "application/x-amz-json-1.1",
                "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        assertThat(buf.getInt(0)).isEqualTo(bytes.length);
        EventStreamCodec.Message m = EventStreamCodec.decode(buf);
        assertThat(m.headers()).containsExactly(
                java.util.Map.entry(":message-type", "event"),
                java.util.Map.entry(":event-type", "SubscribeToShardEvent"),
                java.util.Map.entry(":content-type", "application/x-amz-json-1.1"));
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"Records\":[]}");
        assertThat(buf.remaining()).isZero();
    }

    @Test
    void preludeAndMessageChecksumsAreVerified() {
        byte[] bytes = EventStreamCodec.exception("ResourceInUseException", "application/x-amz-cbor-1.1", new byte[] {1});
        byte[] badPrelude = bytes.clone();
        badPrelude[3] ^= 1;
        assertThatThrownBy(() -> EventStreamCodec.decode(ByteBuffer.wrap(badPrelude)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] badPayload = bytes.clone();
        badPayload[bytes.length - 5] ^= 1;
        assertThatThrownBy(() -> EventStreamCodec.decode(ByteBuffer.wrap(badPayload)))
                .hasMessage("bad event-stream message CRC");
    }

    @Test
    void knownPreludeCrcMatchesTheSpecExample() {
        // An empty message (no headers, no payload) is 16 bytes: 00000010 00000000 05c248eb 7d98c8ff,
        // the "empty message" vector of AWS's event-stream test suite.
        byte[] empty = EventStreamCodec.encode(java.util.Map.of(), new byte[0]);
        assertThat(empty).containsExactly(0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2 - 256, 0x48, 0xeb - 256,
                0x7d, 0x98 - 256, 0xc8 - 256, 0xff - 256);
    }
}
