package dev.tributary.emulator.kinesis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Shard iterators: opaque base64 strings of at most 512 characters that carry everything
 * GetRecords needs, so the server keeps no per-iterator state and an iterator survives restarts.
 *
 * <p>Binary layout before base64: version (1 byte, 1), issued-at epoch ms (8), store stream id (8,
 * so an iterator of a deleted and re-created stream is refused), shard index (4), offset (8), the
 * stream's store key (UTF-8, rest), then a CRC32C (4) of everything before it, so an edited or
 * truncated iterator is refused rather than misread.
 */
public final class ShardIterators {
    private static final byte VERSION = 1;

    /** A decoded iterator. */
    public record Decoded(long issuedAtMillis, long streamId, int shardIndex, long offset, String storeKey) {
    }

    private ShardIterators() {
    }

    public static String encode(long issuedAtMillis, long streamId, int shardIndex, long offset, String storeKey) {
        byte[] key = storeKey.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 8 + 4 + 8 + key.length + 4);
        buf.put(VERSION).putLong(issuedAtMillis).putLong(streamId).putInt(shardIndex).putLong(offset).put(key);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /** Decodes an iterator; null when it is not a valid one of ours. */
    public static Decoded decode(String iterator) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(iterator);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length < 1 + 8 + 8 + 4 + 8 + 1 + 4 || bytes[0] != VERSION) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (buf.getInt(bytes.length - 4) != (int) crc.getValue()) {
            return null;
        }
        buf.position(1);
        long issued = buf.getLong();
        long streamId = buf.getLong();
        int shard = buf.getInt();
        long offset = buf.getLong();
        if (shard < 0 || offset < 0) {
            return null;
        }
        String key = new String(bytes, buf.position(), bytes.length - 4 - buf.position(), StandardCharsets.UTF_8);
        return new Decoded(issued, streamId, shard, offset, key);
    }
}
