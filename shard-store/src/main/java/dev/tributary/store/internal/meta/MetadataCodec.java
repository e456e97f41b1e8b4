package dev.tributary.store.internal.meta;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.CRC32C;

/**
 * The binary form of the store's metadata documents: a stream's {@link StreamInfo}
 * ({@code stream.meta}) and the store's next stream id ({@code store.meta}). Each document is
 * written whole with {@code FileUtil.writeAtomically}, so a crash leaves the old or the new
 * version; the checksum catches anything else (a disk that lies). Big-endian throughout.
 *
 * <pre>
 * document envelope
 *   int32  magic        0x54524D44 ("TRMD")
 *   int8   version      1
 *   int8   kind         1 = stream, 2 = store
 *   int32  bodyLength
 *   int32  crc          CRC32C of the body
 *   body   bodyLength bytes
 *
 * stream body
 *   int64  id
 *   string name                      string = int32 byte length, then UTF-8 bytes
 *   int64 seconds, int32 nanos       createdAt
 *   int64 seconds, int32 nanos       retention
 *   int64  version
 *   int32  shardCount, then per shard:
 *     int32  index
 *     bytes  keyRange.start          bytes = int32 length, then BigInteger two's-complement bytes
 *     bytes  keyRange.end
 *     int32  parent                  -1 when none
 *     int32  adjacentParent          -1 when none
 *     int64 seconds, int32 nanos     createdAt
 *     int8   closed                  0 or 1; when 1, closedAt follows as int64 seconds, int32 nanos
 *     int64  endOffset               -1 while open
 *   int32  attributeCount, then per attribute: string key, string value (sorted by key)
 *
 * store body
 *   int64  nextStreamId
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class MetadataCodec {
    static final int MAGIC = 0x54524D44;
    static final byte VERSION = 1;
    static final byte KIND_STREAM = 1;
    static final byte KIND_STORE = 2;
    private static final int ENVELOPE = 14;

    private MetadataCodec() {
    }

    public static byte[] encodeStream(StreamInfo s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(s.id());
            writeString(out, s.name());
            writeInstant(out, s.createdAt());
            out.writeLong(s.retention().getSeconds());
            out.writeInt(s.retention().getNano());
            out.writeLong(s.version());
            out.writeInt(s.shards().size());
            for (ShardInfo sh : s.shards()) {
                out.writeInt(sh.index());
                writeBytes(out, sh.keyRange().start().toByteArray());
                writeBytes(out, sh.keyRange().end().toByteArray());
                out.writeInt(sh.parent().orElse(-1));
                out.writeInt(sh.adjacentParent().orElse(-1));
                writeInstant(out, sh.createdAt());
                out.writeByte(sh.closedAt() == null ? 0 : 1);
                if (sh.closedAt() != null) {
                    writeInstant(out, sh.closedAt());
                }
                out.writeLong(sh.endOffset());
            }
            List<String> keys = new ArrayList<>(s.attributes().keySet());
            keys.sort(null);
            out.writeInt(keys.size());
            for (String k : keys) {
                writeString(out, k);
                writeString(out, s.attributes().get(k));
            }
            out.flush();
            return envelope(KIND_STREAM, bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
    }

    public static StreamInfo decodeStream(byte[] document, String source) {
        ByteBuffer in = open(document, KIND_STREAM, source);
        try {
            long id = in.getLong();
            String name = readString(in);
            Instant createdAt = readInstant(in);
            Duration retention = Duration.ofSeconds(in.getLong(), in.getInt());
            long version = in.getLong();
            int shardCount = in.getInt();
            if (shardCount < 0 || shardCount > in.remaining()) {
                throw new CorruptStoreException("impossible shard count in " + source);
            }
            List<ShardInfo> shards = new ArrayList<>(shardCount);
            for (int i = 0; i < shardCount; i++) {
                int index = in.getInt();
                KeyRange range = new KeyRange(new BigInteger(readBytes(in)), new BigInteger(readBytes(in)));
                int parent = in.getInt();
                int adjacent = in.getInt();
                Instant shardCreated = readInstant(in);
                Instant closedAt = in.get() == 1 ? readInstant(in) : null;
                long endOffset = in.getLong();
                shards.add(new ShardInfo(index, range, optional(parent), optional(adjacent), shardCreated, closedAt,
                        endOffset));
            }
            int attributeCount = in.getInt();
            if (attributeCount < 0 || attributeCount > in.remaining()) {
                throw new CorruptStoreException("impossible attribute count in " + source);
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < attributeCount; i++) {
                attributes.put(readString(in), readString(in));
            }
            if (in.hasRemaining()) {
                throw new CorruptStoreException("trailing bytes in " + source);
            }
            return new StreamInfo(name, id, createdAt, retention, shards, attributes, version);
        } catch (BufferUnderflowException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new CorruptStoreException("malformed stream metadata in " + source, e);
        }
    }

    public static byte[] encodeStore(long nextStreamId) {
        return envelope(KIND_STORE, ByteBuffer.allocate(8).putLong(nextStreamId).array());
    }

    public static long decodeStore(byte[] document, String source) {
        ByteBuffer in = open(document, KIND_STORE, source);
        if (in.remaining() != 8) {
            throw new CorruptStoreException("malformed store metadata in " + source);
        }
        return in.getLong();
    }

    private static byte[] envelope(byte kind, byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(ENVELOPE + body.length).putInt(MAGIC).put(VERSION).put(kind).putInt(body.length)
                .putInt((int) crc.getValue()).put(body).array();
    }

    private static ByteBuffer open(byte[] document, byte kind, String source) {
        ByteBuffer in = ByteBuffer.wrap(document);
        if (document.length < ENVELOPE || in.getInt() != MAGIC) {
            throw new CorruptStoreException("not a metadata document: " + source);
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new CorruptStoreException("unknown metadata version " + version + " in " + source);
        }
        if (in.get() != kind) {
            throw new CorruptStoreException("wrong metadata kind in " + source);
        }
        int length = in.getInt();
        int expectedCrc = in.getInt();
        if (length != in.remaining()) {
            throw new CorruptStoreException("metadata length mismatch in " + source);
        }
        CRC32C crc = new CRC32C();
        crc.update(in.duplicate());
        if ((int) crc.getValue() != expectedCrc) {
            throw new CorruptStoreException("metadata checksum mismatch in " + source);
        }
        return in;
    }

    private static OptionalInt optional(int v) {
        return v < 0 ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(ByteBuffer in) {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
