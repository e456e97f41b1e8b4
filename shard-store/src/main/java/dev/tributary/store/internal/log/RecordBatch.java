package dev.tributary.store.internal.log;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.StoredRecord;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes, validates and decodes one record batch: the unit of every append. A segment file is
 * nothing but batches back to back. All integers are big-endian.
 *
 * <pre>
 * batch header (33 bytes)
 *   0  int32  magic         0x54524942 ("TRIB")
 *   4  int8   version       1
 *   5  int32  batchLength   bytes of the whole batch, header included
 *   9  int32  crc           CRC32C of bytes [13, batchLength): everything after this field
 *  13  int64  baseOffset    offset of the first record; the others follow one by one
 *  21  int32  recordCount   at least 1
 *  25  int64  maxTimestamp  largest record timestamp in the batch
 * records, recordCount times (20 bytes + key + value each)
 *   int64  timestamp   epoch milliseconds
 *   int32  flags       front-end bits
 *   int32  keyLength   then keyLength bytes
 *   int32  valueLength then valueLength bytes
 * </pre>
 *
 * <p>A batch is written with one positional write, so a crash leaves either the whole batch or a
 * torn prefix of it, which {@link #check} reports as {@link Check#PARTIAL} or {@link Check#CORRUPT}.
 * A region of zero bytes (a file extended but never written, as a file system may leave behind
 * after power loss) is told apart as {@link Check#ZEROES}.
 *
 * <p>Stateless; thread-safe.
 */
public final class RecordBatch {
    public static final int MAGIC = 0x54524942;
    public static final byte VERSION = 1;
    public static final int HEADER_SIZE = 33;
    public static final int RECORD_OVERHEAD = 20;
    /** No batch may be larger: keeps lengths positive ints and rejects absurd lengths on recovery. */
    public static final int MAX_BATCH_BYTES = Integer.MAX_VALUE - 64;

    static final int MAGIC_AT = 0;
    static final int VERSION_AT = 4;
    static final int LENGTH_AT = 5;
    static final int CRC_AT = 9;
    static final int BASE_OFFSET_AT = 13;
    static final int COUNT_AT = 21;
    static final int MAX_TIMESTAMP_AT = 25;

    private RecordBatch() {
    }

    /** The outcome of checking the bytes at a position that should hold a batch. */
    public enum Check {
        /** A whole, intact batch. */
        OK,
        /** Fewer bytes than the batch (or its header) needs: a torn write. */
        PARTIAL,
        /** The header is all zero bytes: preallocated or never-written space. */
        ZEROES,
        /** Bad magic, version, length, checksum, offset or record layout. */
        CORRUPT
    }

    /** The result of {@link #check}: the verdict, a reason for logs, and the header if readable. */
    public record CheckResult(Check check, String reason, Header header) {
    }

    /** The fixed part of a batch. */
    public record Header(long baseOffset, int recordCount, long maxTimestamp, int batchLength) {
        public long nextOffset() {
            return baseOffset + recordCount;
        }
    }

    /** Bytes the batch of {@code records} takes on disk. */
    public static long sizeOf(List<AppendRecord> records) {
        long size = HEADER_SIZE;
        for (AppendRecord r : records) {
            size += RECORD_OVERHEAD + (long) r.key().length + r.value().length;
        }
        return size;
    }

    /** The batch for {@code records} at {@code baseOffset}, in one heap buffer ready to write. */
    public static ByteBuffer encode(long baseOffset, List<AppendRecord> records) {
        ByteBuffer buf = encode(records);
        stamp(buf, baseOffset);
        return buf;
    }

    /**
     * The batch for {@code records} without its base offset and checksum, so the costly copying
     * can happen before the writer takes the shard's lock; {@link #stamp} completes it.
     */
    public static ByteBuffer encode(List<AppendRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        long size = sizeOf(records);
        if (size > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("batch too large: " + size + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        long maxTimestamp = Long.MIN_VALUE;
        buf.position(HEADER_SIZE);
        for (AppendRecord r : records) {
            maxTimestamp = Math.max(maxTimestamp, r.timestampMillis());
            buf.putLong(r.timestampMillis());
            buf.putInt(r.flags());
            buf.putInt(r.key().length);
            buf.put(r.key());
            buf.putInt(r.value().length);
            buf.put(r.value());
        }
        buf.putInt(MAGIC_AT, MAGIC);
        buf.put(VERSION_AT, VERSION);
        buf.putInt(LENGTH_AT, (int) size);
        buf.putInt(COUNT_AT, records.size());
        buf.putLong(MAX_TIMESTAMP_AT, maxTimestamp);
        buf.position(0);
        return buf;
    }

    /** Sets the base offset of a batch from {@link #encode(List)} and computes its checksum. */
    public static Header stamp(ByteBuffer buf, long baseOffset) {
        buf.putLong(BASE_OFFSET_AT, baseOffset);
        int size = buf.limit();
        buf.putInt(CRC_AT, crc(buf.array(), buf.arrayOffset() + BASE_OFFSET_AT, size - BASE_OFFSET_AT));
        return new Header(baseOffset, buf.getInt(COUNT_AT), buf.getLong(MAX_TIMESTAMP_AT), size);
    }

    private static int crc(byte[] array, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(array, from, length);
        return (int) crc.getValue();
    }

    /**
     * Reads the header at {@code pos} without validating more than that it fits in the buffer and
     * carries the magic. Used by readers, who trust data that recovery already validated.
     *
     * @return the header, or null if fewer than {@link #HEADER_SIZE} bytes remain at {@code pos}
     * @throws IllegalStateException if the bytes there are not a batch header
     */
    public static Header peekHeader(ByteBuffer buf, int pos) {
        if (buf.limit() - pos < HEADER_SIZE) {
            return null;
        }
        if (buf.getInt(pos + MAGIC_AT) != MAGIC || buf.get(pos + VERSION_AT) != VERSION) {
            throw new IllegalStateException("no batch header at buffer position " + pos);
        }
        int length = buf.getInt(pos + LENGTH_AT);
        int count = buf.getInt(pos + COUNT_AT);
        if (length < HEADER_SIZE + RECORD_OVERHEAD || count < 1) {
            throw new IllegalStateException("impossible batch header at buffer position " + pos);
        }
        return new Header(buf.getLong(pos + BASE_OFFSET_AT), count, buf.getLong(pos + MAX_TIMESTAMP_AT), length);
    }

    /**
     * Fully validates the batch at {@code pos} of a heap buffer whose bytes past {@code limit()}
     * are unknown, and that there might be more of in the file ({@code bytesLeftInFile} counts the
     * bytes from {@code pos} to the end of the file).
     *
     * @param expectedBaseOffset the offset the batch must start at
     */
    public static CheckResult check(ByteBuffer buf, int pos, long bytesLeftInFile, long expectedBaseOffset) {
        int inBuffer = buf.limit() - pos;
        if (bytesLeftInFile < HEADER_SIZE || inBuffer < HEADER_SIZE) {
            int n = (int) Math.min(inBuffer, Math.min(bytesLeftInFile, HEADER_SIZE));
            if (isZero(buf, pos, n)) {
                return new CheckResult(Check.ZEROES, "zero-filled region", null);
            }
            return new CheckResult(Check.PARTIAL, "partial batch header (" + bytesLeftInFile + " bytes)", null);
        }
        if (isZero(buf, pos, HEADER_SIZE)) {
            return new CheckResult(Check.ZEROES, "zero-filled region", null);
        }
        if (buf.getInt(pos + MAGIC_AT) != MAGIC) {
            return new CheckResult(Check.CORRUPT, "bad magic", null);
        }
        if (buf.get(pos + VERSION_AT) != VERSION) {
            return new CheckResult(Check.CORRUPT, "unknown batch version " + buf.get(pos + VERSION_AT), null);
        }
        int length = buf.getInt(pos + LENGTH_AT);
        if (length < HEADER_SIZE + RECORD_OVERHEAD || length > MAX_BATCH_BYTES) {
            return new CheckResult(Check.CORRUPT, "impossible batch length " + length, null);
        }
        if (length > bytesLeftInFile) {
            return new CheckResult(Check.PARTIAL,
                    "partial batch (" + bytesLeftInFile + " of " + length + " bytes)", null);
        }
        if (length > inBuffer) {
            throw new IllegalArgumentException("buffer holds " + inBuffer + " of a " + length + "-byte batch");
        }
        if (!crcMatches(buf, pos, length)) {
            return new CheckResult(Check.CORRUPT, "crc mismatch", null);
        }
        long baseOffset = buf.getLong(pos + BASE_OFFSET_AT);
        int count = buf.getInt(pos + COUNT_AT);
        long maxTimestamp = buf.getLong(pos + MAX_TIMESTAMP_AT);
        if (baseOffset != expectedBaseOffset) {
            return new CheckResult(Check.CORRUPT,
                    "batch base offset " + baseOffset + " where " + expectedBaseOffset + " was expected", null);
        }
        if (count < 1 || (long) count * RECORD_OVERHEAD > length - HEADER_SIZE) {
            return new CheckResult(Check.CORRUPT, "impossible record count " + count, null);
        }
        // The checksum matched, so a layout error here means a bug in the writer, not a torn write.
        int p = pos + HEADER_SIZE;
        int end = pos + length;
        long seenMax = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (end - p < RECORD_OVERHEAD) {
                return new CheckResult(Check.CORRUPT, "record " + i + " overruns the batch", null);
            }
            seenMax = Math.max(seenMax, buf.getLong(p));
            int keyLength = buf.getInt(p + 12);
            if (keyLength < 0 || keyLength > end - p - RECORD_OVERHEAD) {
                return new CheckResult(Check.CORRUPT, "record " + i + " has impossible key length", null);
            }
            int valueAt = p + 16 + keyLength;
            int valueLength = buf.getInt(valueAt);
            if (valueLength < 0 || valueLength > end - valueAt - 4) {
                return new CheckResult(Check.CORRUPT, "record " + i + " has impossible value length", null);
            }
            p = valueAt + 4 + valueLength;
        }
        if (p != end || seenMax != maxTimestamp) {
            return new CheckResult(Check.CORRUPT, "records do not match the batch header", null);
        }
        return new CheckResult(Check.OK, "ok", new Header(baseOffset, count, maxTimestamp, length));
    }

    /** Whether the stored checksum of the batch at {@code pos} matches its bytes. */
    public static boolean crcMatches(ByteBuffer buf, int pos, int batchLength) {
        CRC32C crc = new CRC32C();
        ByteBuffer region = buf.duplicate();
        region.limit(pos + batchLength).position(pos + BASE_OFFSET_AT);
        crc.update(region);
        return (int) crc.getValue() == buf.getInt(pos + CRC_AT);
    }

    private static boolean isZero(ByteBuffer buf, int pos, int n) {
        for (int i = 0; i < n; i++) {
            if (buf.get(pos + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Receives decoded records; return false to stop. */
    public interface RecordSink {
        boolean accept(long offset, long timestamp, int flags, ByteBuffer buf, int keyAt, int keyLength,
                       int valueAt, int valueLength);
    }

    /**
     * Walks the records of the whole batch at {@code pos} (header {@code h}), from the first record
     * with offset &gt;= {@code fromOffset}, handing each to {@code sink} until it returns false.
     *
     * @return false if the sink stopped the walk
     */
    public static boolean forEachRecord(ByteBuffer buf, int pos, Header h, long fromOffset, RecordSink sink) {
        int p = pos + HEADER_SIZE;
        for (int i = 0; i < h.recordCount(); i++) {
            long offset = h.baseOffset() + i;
            int keyLength = buf.getInt(p + 12);
            int valueAt = p + 16 + keyLength;
            int valueLength = buf.getInt(valueAt);
            if (offset >= fromOffset
                    && !sink.accept(offset, buf.getLong(p), buf.getInt(p + 8), buf, p + 16, keyLength,
                    valueAt + 4, valueLength)) {
                return false;
            }
            p = valueAt + 4 + valueLength;
        }
        return true;
    }

    /** Materializes one record for a reader. */
    static StoredRecord toStoredRecord(long offset, long timestamp, int flags, ByteBuffer buf, int keyAt,
                                       int keyLength, int valueAt, int valueLength) {
        byte[] key = new byte[keyLength];
        buf.get(keyAt, key);
        byte[] value = new byte[valueLength];
        buf.get(valueAt, value);
        return new StoredRecord(offset, timestamp, key, value, flags);
    }
}
