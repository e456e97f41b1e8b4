package dev.tributary.store.internal.log;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.internal.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One segment of a shard log: its bytes ({@link SegmentStorage}), its sparse {@link OffsetIndex}
 * and {@link TimeIndex}, and the published end of its data. The segment holds records
 * [{@link #baseOffset()}, {@link #nextOffset()}), in batches laid out as {@link RecordBatch}
 * describes, starting at byte 0 with no file header.
 *
 * <p>Invariant: the bytes [0, {@link #committedBytes()}) are whole, valid batches, and every
 * index entry points into them. {@code committedBytes}, {@code nextOffset} and
 * {@code maxTimestamp} are published (volatile) only after the batch bytes and index entries are
 * written, so a reader who sees them can read everything below them.
 *
 * <p>Thread-safety: one writer (append, recover, seal, delete), serialized by the owning
 * {@link DefaultShardLog}; lock-free concurrent readers.
 */
final class Segment {
    /** Receives each whole batch of a scan; return false to stop. */
    interface BatchVisitor {
        boolean visit(ByteBuffer buf, int at, RecordBatch.Header header);
    }

    /** What recovery of a segment found. */
    record RecoveryResult(long validBytes, long truncatedBytes, String reason) {
    }

    private final long baseOffset;
    private final SegmentStorage storage;
    private final Path dir;
    private final int indexIntervalBytes;
    private OffsetIndex offsetIndex = new OffsetIndex();
    private TimeIndex timeIndex = new TimeIndex();

    private volatile long committedBytes;
    private volatile long nextOffset;
    /** Largest timestamp of the shard up to {@link #nextOffset}, Long.MIN_VALUE if none. */
    private volatile long maxTimestamp = Long.MIN_VALUE;
    /** Deleted or closed: readers must look elsewhere. */
    private volatile boolean deleted;
    /** Written since the last flush. */
    private volatile boolean dirty;
    /** Writer only: the index files match the in-memory indexes. */
    private boolean indexFilesCurrent;
    /** Writer only: max timestamp of the first batch, for rolling by age. */
    private long firstBatchTimestamp = Long.MIN_VALUE;
    private long bytesSinceIndexEntry;

    Segment(long baseOffset, SegmentStorage storage, Path dir, int indexIntervalBytes) {
        this.baseOffset = baseOffset;
        this.storage = storage;
        this.dir = dir;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    long committedBytes() {
        return committedBytes;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long firstBatchTimestamp() {
        return firstBatchTimestamp;
    }

    boolean isEmpty() {
        return committedBytes == 0;
    }

    boolean isDeleted() {
        return deleted;
    }

    SegmentStorage storage() {
        return storage;
    }

    Path file(String suffix) {
        return dir == null ? null : StoreFiles.segmentFile(dir, baseOffset, suffix);
    }

    /**
     * Appends one encoded batch whose header is {@code h}; {@code maxBefore} is the shard's largest
     * timestamp before it. Publishes the new end only after the bytes are written.
     */
    void append(ByteBuffer batch, RecordBatch.Header h, long maxBefore, boolean force) throws IOException {
        long position = committedBytes;
        storage.append(batch);
        if (force) {
            try {
                storage.flush();
            } catch (IOException e) {
                // Not acknowledged, so it must not become visible after a restart either.
                try {
                    storage.truncate(position);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } else {
            dirty = true;
        }
        index(position, h, maxBefore);
        indexFilesCurrent = false;
        publish(position + h.batchLength(), h.nextOffset(), Math.max(maxBefore, h.maxTimestamp()));
    }

    private void index(long position, RecordBatch.Header h, long maxBefore) {
        if (position == 0) {
            firstBatchTimestamp = h.maxTimestamp();
        } else if (bytesSinceIndexEntry >= indexIntervalBytes) {
            int rel = (int) (h.baseOffset() - baseOffset);
            offsetIndex.append(rel, (int) position);
            if (maxBefore != Long.MIN_VALUE) {
                timeIndex.maybeAppend(maxBefore, rel);
            }
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += h.batchLength();
    }

    /**
     * Publishes a new end in the order readers rely on: bytes, then largest timestamp, then end
     * offset. A reader who reads {@link #nextOffset()} first and then the others sees bytes and a
     * largest timestamp covering at least that offset.
     */
    private void publish(long bytes, long next, long max) {
        committedBytes = bytes;
        maxTimestamp = max;
        nextOffset = next;
    }

    /**
     * Seals the segment's indexes: adds the final time-index entry (largest timestamp, end offset)
     * and, for files, writes both index files.
     */
    void writeIndexes(boolean force) throws IOException {
        if (committedBytes > 0) {
            timeIndex.maybeAppend(maxTimestamp, (int) (nextOffset - baseOffset));
        }
        if (dir != null && !deleted && !indexFilesCurrent) {
            offsetIndex.writeTo(file(StoreFiles.INDEX_SUFFIX), force);
            timeIndex.writeTo(file(StoreFiles.TIME_INDEX_SUFFIX), force);
            indexFilesCurrent = true;
        }
    }

    /** Forces the bytes written since the last flush, if any, to stable storage. */
    void flush() throws IOException {
        if (dirty) {
            // Cleared first: an append racing this flush sets it again and is flushed next time.
            dirty = false;
            try {
                storage.flush();
            } catch (IOException e) {
                dirty = true;
                throw e;
            }
        }
    }

    /** Removes the segment and its index files. Readers still inside it get {@link SegmentGoneException}. */
    void delete() throws IOException {
        deleted = true;
        storage.delete();
        if (dir != null) {
            Files.deleteIfExists(file(StoreFiles.INDEX_SUFFIX));
            Files.deleteIfExists(file(StoreFiles.TIME_INDEX_SUFFIX));
        }
    }

    /**
     * Releases the storage without removing files (store shutdown, stream deletion). Readers still
     * inside it get {@link SegmentGoneException}.
     */
    void close() throws IOException {
        deleted = true;
        storage.close();
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Trusts the index files of a segment closed cleanly whose end offset is known to be
     * {@code endOffset} (the next segment's base). Returns false if the indexes are missing or
     * fail their checks, in which case nothing changed and the caller must {@link #recover}.
     */
    boolean loadSealed(long endOffset) throws IOException {
        if (dir == null) {
            return false;
        }
        long size = storage.size();
        long count = endOffset - baseOffset;
        if (count <= 0 || size == 0) {
            return false;
        }
        OffsetIndex oi = OffsetIndex.load(file(StoreFiles.INDEX_SUFFIX), size, count);
        TimeIndex ti = oi == null ? null : TimeIndex.load(file(StoreFiles.TIME_INDEX_SUFFIX), count);
        if (ti == null) {
            return false;
        }
        RecordBatch.Header first = readHeader(0, size);
        if (first == null || first.baseOffset() != baseOffset) {
            return false;
        }
        offsetIndex = oi;
        timeIndex = ti;
        indexFilesCurrent = true;
        firstBatchTimestamp = first.maxTimestamp();
        publish(size, endOffset, ti.lastTimestamp());
        return true;
    }

    /**
     * The fast path for the last segment after a clean shutdown: loads the index files and
     * validates only the batches after the last offset-index entry. Returns false (changing
     * nothing) if anything does not add up; the caller then runs a full {@link #recover}.
     */
    boolean loadActiveAfterCleanShutdown() throws IOException {
        if (dir == null) {
            return false;
        }
        long size = storage.size();
        if (size == 0) {
            return !Files.exists(file(StoreFiles.INDEX_SUFFIX)) || Files.size(file(StoreFiles.INDEX_SUFFIX)) == 0;
        }
        OffsetIndex oi = OffsetIndex.load(file(StoreFiles.INDEX_SUFFIX), size, Integer.MAX_VALUE);
        if (oi == null) {
            return false;
        }
        long last = oi.last();
        long scanFromOffset = baseOffset + (last >>> 32);
        long scanFromPos = last & 0xFFFFFFFFL;
        long[] state = {scanFromPos, scanFromOffset, Long.MIN_VALUE};
        boolean[] bad = {false};
        scanValidating(scanFromPos, scanFromOffset, size, (buf, at, h) -> {
            state[0] += h.batchLength();
            state[1] = h.nextOffset();
            state[2] = Math.max(state[2], h.maxTimestamp());
            return true;
        }, bad);
        if (bad[0] || state[0] != size) {
            return false;
        }
        long count = state[1] - baseOffset;
        TimeIndex ti = TimeIndex.load(file(StoreFiles.TIME_INDEX_SUFFIX), count);
        if (ti == null || ti.lastTimestamp() < state[2]) {
            return false;
        }
        RecordBatch.Header first = readHeader(0, size);
        if (first == null || first.baseOffset() != baseOffset) {
            return false;
        }
        offsetIndex = oi;
        timeIndex = ti;
        indexFilesCurrent = true;
        firstBatchTimestamp = first.maxTimestamp();
        // Roughly where the next index entry is due; exactness does not matter for a sparse index.
        bytesSinceIndexEntry = size - scanFromPos;
        publish(size, state[1], ti.lastTimestamp());
        return true;
    }

    /**
     * Full recovery: validates every batch from the start, rebuilds both indexes, and truncates
     * the storage at the first torn, partial, zero-filled or corrupt batch.
     *
     * @param maxBefore the shard's largest timestamp before this segment
     */
    RecoveryResult recover(long maxBefore) throws IOException {
        offsetIndex = new OffsetIndex();
        timeIndex = new TimeIndex();
        bytesSinceIndexEntry = 0;
        firstBatchTimestamp = Long.MIN_VALUE;
        long size = storage.size();
        long[] pos = {0};
        long[] max = {maxBefore};
        long[] next = {baseOffset};
        String[] reason = {null};
        scanValidating(0, baseOffset, size, (buf, at, h) -> {
            index(pos[0], h, max[0]);
            pos[0] += h.batchLength();
            max[0] = Math.max(max[0], h.maxTimestamp());
            next[0] = h.nextOffset();
            return true;
        }, null, reason);
        long truncated = size - pos[0];
        if (truncated > 0) {
            storage.truncate(pos[0]);
        }
        publish(pos[0], next[0], max[0]);
        return new RecoveryResult(pos[0], truncated, reason[0]);
    }

    private void scanValidating(long from, long fromOffset, long size, BatchVisitor visitor, boolean[] bad)
            throws IOException {
        String[] reason = {null};
        scanValidating(from, fromOffset, size, visitor, bad, reason);
    }

    private void scanValidating(long from, long fromOffset, long size, BatchVisitor visitor, boolean[] bad,
                                String[] reason) throws IOException {
        final int chunk = 1 << 20;
        long pos = from;
        long expected = fromOffset;
        while (pos < size) {
            ByteBuffer buf = readRaw(pos, (int) Math.min(size - pos, chunk));
            int at = 0;
            while (at < buf.limit()) {
                long leftInFile = size - pos - at;
                int inBuffer = buf.limit() - at;
                if (inBuffer < RecordBatch.HEADER_SIZE && leftInFile > inBuffer) {
                    break; // the header straddles the chunk: continue from here with a fresh read
                }
                if (inBuffer >= RecordBatch.HEADER_SIZE && buf.getInt(at) == RecordBatch.MAGIC) {
                    int len = buf.getInt(at + RecordBatch.LENGTH_AT);
                    if (len > inBuffer && len <= leftInFile && len >= RecordBatch.HEADER_SIZE) {
                        if (at > 0) {
                            break; // the batch straddles the chunk: continue from here
                        }
                        buf = readRaw(pos, len); // one batch larger than a chunk
                        if (buf.limit() < len) {
                            throw new IOException("segment shrank during recovery");
                        }
                    }
                }
                RecordBatch.CheckResult r = RecordBatch.check(buf, at, leftInFile, expected);
                if (r.check() != RecordBatch.Check.OK) {
                    if (bad != null) {
                        bad[0] = true;
                    }
                    reason[0] = r.reason();
                    return;
                }
                if (!visitor.visit(buf, at, r.header())) {
                    return;
                }
                expected = r.header().nextOffset();
                at += r.header().batchLength();
            }
            pos += at;
        }
    }

    private ByteBuffer readRaw(long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        storage.read(buf, pos);
        buf.flip();
        return buf;
    }

    private RecordBatch.Header readHeader(long pos, long size) throws IOException {
        if (size - pos < RecordBatch.HEADER_SIZE) {
            return null;
        }
        ByteBuffer buf = readRaw(pos, RecordBatch.HEADER_SIZE);
        try {
            return RecordBatch.peekHeader(buf, 0);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Visits the whole batches from byte {@code position} (a batch start) up to {@code limit}
     * (at most {@link #committedBytes()}), reading about {@code chunkBytes} at a time with
     * positional reads; a batch larger than that is read in one piece.
     *
     * @throws SegmentGoneException if the segment is deleted meanwhile
     */
    void forEachBatch(long position, long limit, int chunkBytes, BatchVisitor visitor) {
        long pos = position;
        int chunk = Math.max(chunkBytes, RecordBatch.HEADER_SIZE);
        while (pos < limit) {
            ByteBuffer buf = readPublished(pos, (int) Math.min(limit - pos, chunk));
            int at = 0;
            while (true) {
                RecordBatch.Header h;
                try {
                    h = RecordBatch.peekHeader(buf, at);
                } catch (IllegalStateException e) {
                    throw corrupt(pos + at, e.getMessage());
                }
                if (h == null || at + h.batchLength() > buf.limit()) {
                    if (at == 0) {
                        if (h == null || pos + h.batchLength() > limit) {
                            throw corrupt(pos, "batch overruns the segment's data");
                        }
                        buf = readPublished(pos, h.batchLength());
                        continue;
                    }
                    break;
                }
                if (!visitor.visit(buf, at, h)) {
                    return;
                }
                at += h.batchLength();
                if (at == buf.limit()) {
                    break;
                }
            }
            pos += at;
        }
    }

    /**
     * Checks the checksum of a batch about to be decoded for a reader, so corruption that recovery
     * did not scan for (bit rot in a cleanly closed segment) fails loudly instead of returning
     * wrong bytes. CRC32C runs at memory speed, so this costs little next to copying the records.
     */
    void verify(ByteBuffer buf, int at, RecordBatch.Header h) {
        if (!RecordBatch.crcMatches(buf, at, h.batchLength())) {
            throw new CorruptStoreException("segment " + StoreFiles.segmentFileName(baseOffset, StoreFiles.LOG_SUFFIX)
                    + " has a batch at offset " + h.baseOffset() + " that fails its checksum");
        }
    }

    private CorruptStoreException corrupt(long position, String detail) {
        if (deleted) {
            throw new SegmentGoneException(baseOffset);
        }
        return new CorruptStoreException("segment " + StoreFiles.segmentFileName(baseOffset, StoreFiles.LOG_SUFFIX)
                + " is corrupt at byte " + position + ": " + detail);
    }

    private ByteBuffer readPublished(long pos, int len) {
        ByteBuffer buf = ByteBuffer.allocate(len);
        try {
            storage.read(buf, pos);
        } catch (IOException e) {
            if (deleted) {
                throw new SegmentGoneException(baseOffset);
            }
            throw new dev.tributary.store.api.StorageException("read failed in segment " + baseOffset, e);
        }
        if (deleted) {
            throw new SegmentGoneException(baseOffset);
        }
        if (buf.position() < len) {
            throw corrupt(pos + buf.position(), "segment shorter than its published size");
        }
        buf.flip();
        return buf;
    }

    /** The byte position to start scanning from to find {@code offset}: a batch at or before it. */
    long positionFor(long offset) {
        return offsetIndex.floor(offset - baseOffset) & 0xFFFFFFFFL;
    }

    /** The offset to start scanning from for the first record at or after {@code timestamp}. */
    long scanStartFor(long timestamp) {
        return baseOffset + timeIndex.scanStartFor(timestamp);
    }

    /** Test hook: sizes of the in-memory indexes. */
    int offsetIndexEntries() {
        return offsetIndex.size();
    }

    int timeIndexEntries() {
        return timeIndex.size();
    }
}
