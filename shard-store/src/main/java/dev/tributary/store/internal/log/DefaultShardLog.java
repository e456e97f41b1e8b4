package dev.tributary.store.internal.log;

import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ShardClosedException;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StorageException;
import dev.tributary.store.api.StoreConfig.FsyncPolicy;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.internal.FileUtil;
import dev.tributary.store.internal.ShardLogHandle;
import dev.tributary.store.internal.StoreFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one shard: an ordered set of {@link Segment}s, the last of which (the active
 * segment) takes appends. Segments live as files in the shard's directory, or in memory when the
 * directory is null; the code above {@link SegmentStorage} is the same for both.
 *
 * <p>Invariants: segments are contiguous (each starts at the previous one's end offset);
 * {@code startOffset <= endOffset}; records [startOffset, endOffset) are readable; endOffset is
 * published (volatile) only after its batch is completely written (and, with
 * {@link FsyncPolicy#ALWAYS}, forced), so a reader never sees a record that a crash could take away
 * from under an acknowledged append. Retention only moves startOffset forward: a record is expired
 * when it and every record before it are older than now minus the retention, i.e. startOffset is
 * the first record whose timestamp is at or after the cutoff. Whole segments behind startOffset
 * are deleted, oldest first, never the active one.
 *
 * <p>Thread-safety: thread-safe. Appends, rolls and closing are serialized by one lock per shard;
 * retention by a second lock; reads take neither: they see the published end offset and read
 * with positional reads. A reader that races a retention deletion resumes at the new start.
 */
public final class DefaultShardLog implements ShardLogHandle {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultShardLog.class);
    private static final int MIN_READ_CHUNK = 64 * 1024;
    private static final int MAX_READ_CHUNK = 32 * 1024 * 1024;

    private final String stream;
    private final int shardIndex;
    private final Path dir;
    private final LogConfig config;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock retentionLock = new ReentrantLock();
    private final Object waitersLock = new Object();
    private List<Waiter> waiters = new ArrayList<>();

    private volatile Segment active;
    private volatile long endOffset;
    private volatile long startOffset;
    /** Timestamp of the record at startOffset once retention looked at it; MIN_VALUE if unknown. */
    private volatile long startTimestamp = Long.MIN_VALUE;
    /** Largest record timestamp so far; MIN_VALUE if none. */
    private volatile long maxTimestamp = Long.MIN_VALUE;
    private volatile long retentionMillis;
    private volatile boolean closed;
    private volatile boolean deleted;
    private volatile boolean shutDown;

    private record Waiter(long offset, CompletableFuture<Long> future) {
    }

    private DefaultShardLog(String stream, int shardIndex, Path dir, LogConfig config, Duration retention) {
        this.stream = stream;
        this.shardIndex = shardIndex;
        this.dir = dir;
        this.config = config;
        setRetention(retention);
    }

    /**
     * A new, empty log. With a directory, creates it and the first segment file.
     *
     * @param dir the shard directory, or null for an in-memory log
     */
    public static DefaultShardLog create(String stream, int shardIndex, Path dir, LogConfig config,
                                         Duration retention) throws IOException {
        DefaultShardLog log = new DefaultShardLog(stream, shardIndex, dir, config, retention);
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Segment first = log.newSegment(0);
        log.segments.put(0L, first);
        log.active = first;
        return log;
    }

    /**
     * Opens an existing shard directory, recovering it. After a clean shutdown the index files
     * are trusted and only the active segment's tail is validated; otherwise every batch of every
     * segment is validated and the indexes rebuilt. The log is truncated at the first bad batch
     * (and segments after a corrupt one are deleted), each with a WARN line.
     *
     * @param closedEndOffset the end offset recorded in the stream's metadata when the shard is
     *                        closed, or -1 while it is open
     */
    public static DefaultShardLog open(String stream, int shardIndex, Path dir, LogConfig config, Duration retention,
                                       boolean cleanShutdown, long closedEndOffset) throws IOException {
        DefaultShardLog log = new DefaultShardLog(stream, shardIndex, dir, config, retention);
        Files.createDirectories(dir);
        log.recover(cleanShutdown);
        if (closedEndOffset >= 0) {
            log.closed = true;
            if (log.endOffset != closedEndOffset) {
                LOG.warn("closed shard log does not end where its metadata says stream={} shardId={} logEndOffset={}"
                        + " recordedEndOffset={}", stream, shardIndex, log.endOffset, closedEndOffset);
            }
        }
        return log;
    }

    private void recover(boolean cleanShutdown) throws IOException {
        TreeMap<Long, Path> logFiles = new TreeMap<>();
        List<Path> indexFiles = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                OptionalLong base = StoreFiles.parseBaseOffset(name, StoreFiles.LOG_SUFFIX);
                if (base.isPresent()) {
                    logFiles.put(base.getAsLong(), p);
                } else if (name.endsWith(StoreFiles.INDEX_SUFFIX) || name.endsWith(StoreFiles.TIME_INDEX_SUFFIX)) {
                    indexFiles.add(p);
                }
            }
        }
        for (Path p : indexFiles) {
            String name = p.getFileName().toString();
            String suffix = name.endsWith(StoreFiles.TIME_INDEX_SUFFIX) ? StoreFiles.TIME_INDEX_SUFFIX
                    : StoreFiles.INDEX_SUFFIX;
            OptionalLong base = StoreFiles.parseBaseOffset(name, suffix);
            if (base.isEmpty() || !logFiles.containsKey(base.getAsLong())) {
                Files.deleteIfExists(p); // an index without its segment: left over from a deletion
            }
        }
        if (logFiles.isEmpty()) {
            Segment first = newSegment(0);
            segments.put(0L, first);
            active = first;
            return;
        }
        List<Long> bases = new ArrayList<>(logFiles.keySet());
        long max = Long.MIN_VALUE;
        Segment previous = null;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            if (previous != null && previous.nextOffset() != base) {
                String cause = "segment " + base + " does not follow segment " + previous.baseOffset()
                        + " ending at offset " + previous.nextOffset();
                LOG.warn("log is not contiguous stream={} shardId={} cause=\"{}\"", stream, shardIndex, cause);
                deleteFrom(bases.subList(i, bases.size()), previous.baseOffset());
                break;
            }
            Segment seg = new Segment(base, FileSegmentStorage.open(logFiles.get(base)), dir,
                    config.indexIntervalBytes());
            boolean loaded = cleanShutdown
                    && (last ? seg.loadActiveAfterCleanShutdown() : seg.loadSealed(bases.get(i + 1)));
            if (!loaded) {
                Segment.RecoveryResult r = seg.recover(max);
                if (r.truncatedBytes() > 0) {
                    new SegmentEvent.TruncatedOnRecovery(r.validBytes(), r.truncatedBytes(), r.reason())
                            .log(LOG, stream, shardIndex, base);
                    seg.flush();
                    if (!last) {
                        segments.put(base, seg);
                        max = Math.max(max, seg.maxTimestamp());
                        deleteFrom(bases.subList(i + 1, bases.size()), base);
                        break;
                    }
                }
                if (!last) {
                    seg.writeIndexes(false);
                }
            }
            segments.put(base, seg);
            max = Math.max(max, seg.maxTimestamp());
            previous = seg;
        }
        active = segments.lastEntry().getValue();
        endOffset = active.nextOffset();
        startOffset = segments.firstKey();
        maxTimestamp = max;
    }

    private void deleteFrom(List<Long> bases, long corruptBase) throws IOException {
        for (long b : bases) {
            Path file = StoreFiles.segmentFile(dir, b, StoreFiles.LOG_SUFFIX);
            long size = Files.size(file);
            Files.deleteIfExists(StoreFiles.segmentFile(dir, b, StoreFiles.INDEX_SUFFIX));
            Files.deleteIfExists(StoreFiles.segmentFile(dir, b, StoreFiles.TIME_INDEX_SUFFIX));
            Files.deleteIfExists(file);
            new SegmentEvent.DeletedAfterCorruption(corruptBase, size).log(LOG, stream, shardIndex, b);
        }
    }

    private Segment newSegment(long base) throws IOException {
        if (dir == null) {
            return new Segment(base, new MemorySegmentStorage(), null, config.indexIntervalBytes());
        }
        Path file = StoreFiles.segmentFile(dir, base, StoreFiles.LOG_SUFFIX);
        Files.deleteIfExists(StoreFiles.segmentFile(dir, base, StoreFiles.INDEX_SUFFIX));
        Files.deleteIfExists(StoreFiles.segmentFile(dir, base, StoreFiles.TIME_INDEX_SUFFIX));
        FileSegmentStorage storage = FileSegmentStorage.open(file);
        if (storage.size() != 0) {
            storage.truncate(0); // a stale file of a segment that was rolled back; never the case normally
        }
        if (config.fsyncPolicy() != FsyncPolicy.NEVER) {
            FileUtil.fsyncDirectory(dir);
        }
        return new Segment(base, storage, dir, config.indexIntervalBytes());
    }

    /** Sets how long records stay readable. */
    @Override
    public void setRetention(Duration retention) {
        this.retentionMillis = LogConfig.saturatedMillis(retention);
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public int shardIndex() {
        return shardIndex;
    }

    // ---------------------------------------------------------------- appending

    @Override
    public AppendResult append(List<AppendRecord> records) {
        Objects.requireNonNull(records, "records");
        ByteBuffer batch = RecordBatch.encode(records); // the copying, outside the lock
        long end;
        appendLock.lock();
        try {
            checkWritable();
            long base = endOffset;
            RecordBatch.Header h = RecordBatch.stamp(batch, base);
            maybeRoll(h.batchLength());
            long before = maxTimestamp;
            try {
                active.append(batch, h, before, config.fsyncPolicy() == FsyncPolicy.ALWAYS);
            } catch (IOException e) {
                throw new StorageException("append failed on shard " + shardIndex + " of stream " + stream, e);
            }
            maxTimestamp = Math.max(before, h.maxTimestamp());
            end = h.nextOffset();
            endOffset = end;
        } finally {
            appendLock.unlock();
        }
        notifyWaiters(end);
        return new AppendResult(end - records.size(), records.size());
    }

    private void checkWritable() {
        if (deleted) {
            throw new StreamNotFoundException("Stream " + stream + " not found");
        }
        if (shutDown) {
            throw new StorageException("the store is closed");
        }
        if (closed) {
            throw new ShardClosedException("shard " + shardIndex + " of stream " + stream + " is closed");
        }
    }

    private void maybeRoll(int batchBytes) {
        Segment a = active;
        if (a.isEmpty()) {
            return;
        }
        SegmentEvent reason = null;
        if (a.committedBytes() + batchBytes > config.segmentBytes()) {
            reason = new SegmentEvent.RolledForSize(a.committedBytes(), config.segmentBytes());
        } else {
            long age = LogConfig.saturatedSubtract(config.clock().millis(), a.firstBatchTimestamp());
            if (age >= config.segmentMaxAgeMillis()) {
                reason = new SegmentEvent.RolledForAge(age, config.segmentMaxAgeMillis());
            }
        }
        if (reason == null) {
            return;
        }
        try {
            // Only ALWAYS forces here, under the append lock. With INTERVAL the sealed segment stays
            // dirty and the background flusher forces it within the interval, as it does the active
            // one: forcing 64 MiB in the roll stalled every writer of the shard (docs/benchmarks.md).
            // The index files are caches, rebuilt when in doubt, so they are written unforced.
            boolean sync = config.fsyncPolicy() == FsyncPolicy.ALWAYS;
            a.writeIndexes(sync);
            if (sync) {
                a.flush();
            }
            Segment next = newSegment(endOffset);
            segments.put(next.baseOffset(), next);
            active = next;
        } catch (IOException e) {
            throw new StorageException("segment roll failed on shard " + shardIndex + " of stream " + stream, e);
        }
        reason.log(LOG, stream, shardIndex, a.baseOffset());
    }

    /**
     * Starts closing the shard for a topology change: takes the append lock (held until
     * {@link #endClose}), forces the log to disk (unless the policy is NEVER) so the end offset
     * about to be recorded in the metadata is durable, and returns that end offset. No append can
     * land in between.
     *
     * @throws ShardClosedException if already closed
     */
    @Override
    public long beginClose() {
        appendLock.lock();
        try {
            checkWritable();
            if (config.fsyncPolicy() != FsyncPolicy.NEVER) {
                for (Segment s : segments.values()) {
                    s.flush();
                }
            }
            return endOffset;
        } catch (IOException | RuntimeException e) {
            appendLock.unlock();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StorageException("flush failed on shard " + shardIndex + " of stream " + stream, e);
        }
    }

    /** Ends what {@link #beginClose} started: closes the shard if {@code commit}, then releases the lock. */
    @Override
    public void endClose(boolean commit) {
        try {
            if (commit) {
                closed = true;
                try {
                    active.writeIndexes(false);
                } catch (IOException e) {
                    LOG.warn("could not write indexes of closed shard stream={} shardId={}", stream, shardIndex, e);
                }
            }
        } finally {
            appendLock.unlock();
        }
        if (commit) {
            completeAllWaiters();
        }
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public CompletableFuture<Long> awaitAppend(long offset) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        boolean now;
        synchronized (waitersLock) {
            now = endOffset > offset || closed || deleted || shutDown;
            if (!now) {
                if (waiters.size() >= 64) {
                    waiters.removeIf(w -> w.future.isDone());
                }
                waiters.add(new Waiter(offset, f));
            }
        }
        if (now) {
            f.complete(endOffset);
        }
        return f;
    }

    private void notifyWaiters(long end) {
        List<Waiter> ready = null;
        synchronized (waitersLock) {
            if (waiters.isEmpty()) {
                return;
            }
            List<Waiter> keep = new ArrayList<>();
            for (Waiter w : waiters) {
                if (w.offset < end) {
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(w);
                } else if (!w.future.isDone()) {
                    keep.add(w);
                }
            }
            waiters = keep;
        }
        if (ready != null) {
            for (Waiter w : ready) {
                w.future.complete(end);
            }
        }
    }

    private void completeAllWaiters() {
        List<Waiter> all;
        synchronized (waitersLock) {
            all = waiters;
            waiters = new ArrayList<>();
        }
        long end = endOffset;
        for (Waiter w : all) {
            w.future.complete(end);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public long startOffset() {
        checkReadable();
        applyRetention();
        return startOffset;
    }

    @Override
    public long endOffset() {
        return endOffset;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void checkReadable() {
        if (deleted) {
            throw new StreamNotFoundException("Stream " + stream + " not found");
        }
        if (shutDown) {
            throw new StorageException("the store is closed");
        }
    }

    @Override
    public List<StoredRecord> read(long offset, int maxRecords, long maxBytes) {
        checkReadable();
        applyRetention();
        long start = startOffset;
        long end = endOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException("offset " + offset + " is outside [" + start + ", " + end
                    + "] of shard " + shardIndex + " of stream " + stream);
        }
        return readFrom(offset, maxRecords, maxBytes);
    }

    /**
     * Reads from {@code offset}, or from the start offset if that is later (records expired).
     * Resumes at the new start if retention deletes a segment under the reader.
     */
    List<StoredRecord> readFrom(long offset, int maxRecords, long maxBytes) {
        checkReadable();
        List<StoredRecord> out = new ArrayList<>(Math.max(0, Math.min(maxRecords, 1024)));
        if (maxRecords <= 0) {
            return out;
        }
        long end = endOffset;
        ReadState st = new ReadState(Math.max(offset, startOffset), end, maxRecords, maxBytes, out);
        while (st.next < end && !st.full) {
            Map.Entry<Long, Segment> e = segments.floorEntry(st.next);
            if (e == null || e.getValue().nextOffset() <= st.next) {
                long s = startOffset;
                if (s > st.next) {
                    st.next = s; // retention moved on under us
                    continue;
                }
                checkReadable();
                throw new CorruptStoreException("no segment holds offset " + st.next + " of shard " + shardIndex
                        + " of stream " + stream);
            }
            try {
                readSegment(e.getValue(), st);
            } catch (SegmentGoneException gone) {
                checkReadable();
                if (!out.isEmpty()) {
                    break; // return what we have; the caller continues after the last record
                }
                st.next = Math.max(st.next, startOffset);
            }
        }
        return out;
    }

    /** Mutable state of one read across segments and batches. */
    private static final class ReadState implements RecordBatch.RecordSink {
        long next;
        final long end;
        final int maxRecords;
        final long maxBytes;
        final List<StoredRecord> out;
        long bytes;
        boolean full;

        ReadState(long next, long end, int maxRecords, long maxBytes, List<StoredRecord> out) {
            this.next = next;
            this.end = end;
            this.maxRecords = maxRecords;
            this.maxBytes = maxBytes;
            this.out = out;
        }

        @Override
        public boolean accept(long offset, long timestamp, int flags, ByteBuffer buf, int keyAt, int keyLength,
                              int valueAt, int valueLength) {
            if (offset >= end || out.size() >= maxRecords) {
                full = offset < end;
                return false;
            }
            int size = keyLength + valueLength;
            if (!out.isEmpty() && bytes + size > maxBytes) {
                full = true;
                return false;
            }
            out.add(RecordBatch.toStoredRecord(offset, timestamp, flags, buf, keyAt, keyLength, valueAt, valueLength));
            bytes += size;
            next = offset + 1;
            if (out.size() >= maxRecords) {
                full = true;
                return false;
            }
            return true;
        }
    }

    private void readSegment(Segment seg, ReadState st) {
        long position = seg.positionFor(st.next);
        long segNext = seg.nextOffset(); // before the byte count: see Segment#publish
        long limit = seg.committedBytes();
        long budget = Math.min(st.maxBytes, MAX_READ_CHUNK)
                + (long) Math.min(st.maxRecords, 1_000_000) * RecordBatch.RECORD_OVERHEAD + RecordBatch.HEADER_SIZE;
        int chunk = (int) Math.max(MIN_READ_CHUNK, Math.min(MAX_READ_CHUNK, budget));
        long from = st.next;
        seg.forEachBatch(position, limit, chunk, (buf, at, h) -> {
            if (h.nextOffset() <= from) {
                return true;
            }
            if (h.baseOffset() >= st.end) {
                return false;
            }
            seg.verify(buf, at, h);
            return RecordBatch.forEachRecord(buf, at, h, from, st);
        });
        if (!st.full && st.next < segNext && st.next < st.end) {
            throw new CorruptStoreException("segment " + seg.baseOffset() + " of shard " + shardIndex + " of stream "
                    + stream + " ends before offset " + st.next);
        }
    }

    @Override
    public long offsetForTimestamp(long timestampMillis) {
        checkReadable();
        applyRetention();
        long start = startOffset;
        return firstAtOrAfter(timestampMillis, start, endOffset)[0];
    }

    @Override
    public long lastTimestamp() {
        checkReadable();
        applyRetention();
        long max = maxTimestamp;
        return startOffset >= endOffset || max == Long.MIN_VALUE ? -1 : max;
    }

    @Override
    public ShardCursor cursor(long offset) {
        checkReadable();
        applyRetention();
        long end = endOffset;
        if (offset > end || offset < 0) {
            throw new OffsetOutOfRangeException("offset " + offset + " is outside [" + startOffset + ", " + end
                    + "] of shard " + shardIndex + " of stream " + stream);
        }
        return new DefaultShardCursor(this, Math.max(offset, startOffset));
    }

    /**
     * The first offset in [from, end) whose record's timestamp is at or after {@code timestamp},
     * and that timestamp; {end, MIN_VALUE} when there is none. Skips whole segments by their
     * largest timestamp, then jumps ahead with the time index.
     */
    private long[] firstAtOrAfter(long timestamp, long from, long end) {
        long next = from;
        while (next < end) {
            Map.Entry<Long, Segment> e = segments.floorEntry(next);
            if (e == null) {
                next = Math.max(next, startOffset);
                if (segments.floorEntry(next) == null) {
                    break;
                }
                continue;
            }
            Segment seg = e.getValue();
            long segNext = seg.nextOffset();
            if (segNext <= next) {
                break;
            }
            if (seg.maxTimestamp() >= timestamp) {
                long scanFrom = Math.max(next, seg.scanStartFor(timestamp));
                long[] found = {end, Long.MIN_VALUE};
                try {
                    seg.forEachBatch(seg.positionFor(scanFrom), seg.committedBytes(), MIN_READ_CHUNK, (buf, at, h) -> {
                        if (h.baseOffset() >= end) {
                            return false;
                        }
                        if (h.nextOffset() <= scanFrom || h.maxTimestamp() < timestamp) {
                            return true;
                        }
                        return RecordBatch.forEachRecord(buf, at, h, scanFrom, (off, ts, fl, b, ka, kl, va, vl) -> {
                            if (off >= end) {
                                return false;
                            }
                            if (ts >= timestamp) {
                                found[0] = off;
                                found[1] = ts;
                                return false;
                            }
                            return true;
                        });
                    });
                } catch (SegmentGoneException gone) {
                    next = Math.max(next, startOffset);
                    continue;
                }
                if (found[0] < end) {
                    return found;
                }
            }
            next = segNext;
        }
        return new long[] {end, Long.MIN_VALUE};
    }

    // ---------------------------------------------------------------- retention

    /** Moves startOffset past records older than the retention. Cheap when nothing expired. */
    private void applyRetention() {
        long cutoff = LogConfig.saturatedSubtract(config.clock().millis(), retentionMillis);
        long known = startTimestamp;
        if (known != Long.MIN_VALUE && cutoff <= known) {
            return;
        }
        retentionLock.lock();
        try {
            long from = startOffset;
            long end = endOffset;
            known = startTimestamp;
            if (known != Long.MIN_VALUE && cutoff <= known) {
                return;
            }
            if (from >= end) {
                return;
            }
            long[] found = firstAtOrAfter(cutoff, from, end);
            if (found[0] > from) {
                startOffset = found[0];
                LOG.debug("records expired stream={} shardId={} startOffset={} cutoffMillis={}",
                        stream, shardIndex, found[0], cutoff);
            }
            startTimestamp = found[1];
        } finally {
            retentionLock.unlock();
        }
    }

    /** Applies retention and deletes whole segments behind the start offset, never the active one. */
    @Override
    public void enforceRetention() {
        if (deleted || shutDown) {
            return;
        }
        applyRetention();
        retentionLock.lock();
        try {
            long start = startOffset;
            long cutoff = LogConfig.saturatedSubtract(config.clock().millis(), retentionMillis);
            for (Segment s : segments.values()) {
                if (s == active || s.nextOffset() > start || deleted || shutDown) {
                    break;
                }
                segments.remove(s.baseOffset());
                try {
                    s.delete();
                } catch (IOException e) {
                    LOG.warn("could not delete segment files stream={} shardId={} segment={}",
                            stream, shardIndex, s.baseOffset(), e);
                }
                new SegmentEvent.DeletedByRetention(s.nextOffset(), cutoff).log(LOG, stream, shardIndex, s.baseOffset());
            }
        } finally {
            retentionLock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Forces every segment written since its last flush to stable storage. */
    @Override
    public void flush() {
        if (deleted || shutDown) {
            return;
        }
        for (Segment s : segments.values()) {
            try {
                s.flush();
            } catch (IOException e) {
                if (!s.isDeleted() && !deleted && !shutDown) {
                    throw new StorageException("fsync failed on shard " + shardIndex + " of stream " + stream, e);
                }
            }
        }
    }

    /**
     * Closes the log for a store shutdown: writes the active segment's indexes, forces every
     * segment written since its last flush (unless the policy is NEVER), releases files, and completes waiting futures. Later calls fail with
     * {@link StorageException}.
     */
    @Override
    public void shutdown() throws IOException {
        appendLock.lock();
        retentionLock.lock();
        try {
            if (deleted || shutDown) {
                return;
            }
            shutDown = true;
            IOException failure = null;
            // Forced (unless NEVER) before the store writes its clean-shutdown marker, which
            // promises that the index files and the log agree.
            boolean sync = config.fsyncPolicy() != FsyncPolicy.NEVER;
            try {
                active.writeIndexes(sync);
            } catch (IOException e) {
                failure = e;
            }
            for (Segment s : segments.values()) {
                try {
                    if (sync) {
                        s.flush();
                    }
                    s.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            retentionLock.unlock();
            appendLock.unlock();
            completeAllWaiters();
        }
    }

    /** Marks the log deleted along with its stream and releases its storage; files are removed by the caller. */
    @Override
    public void markDeleted() {
        appendLock.lock();
        retentionLock.lock();
        try {
            if (deleted) {
                return;
            }
            deleted = true;
            for (Segment s : segments.values()) {
                try {
                    if (dir == null) {
                        s.delete(); // frees the memory
                    } else {
                        s.close(); // the store removes the directory
                    }
                } catch (IOException e) {
                    LOG.debug("closing segment of deleted stream failed stream={} shardId={}", stream, shardIndex, e);
                }
            }
        } finally {
            retentionLock.unlock();
            appendLock.unlock();
            completeAllWaiters();
        }
    }

    // ---------------------------------------------------------------- replica maintenance

    /**
     * Removes every record at or after {@code offset}, for a follower replica whose log diverged
     * from its leader's. A batch that holds {@code offset} goes whole, so the new end can be below
     * {@code offset}; the follower copies the difference again. Only for a log no reader uses.
     *
     * @return the new end offset
     */
    public long truncateTo(long offset) {
        appendLock.lock();
        try {
            checkWritable();
            if (offset >= endOffset) {
                return endOffset;
            }
            if (offset <= startOffset) {
                resetLocked(offset);
                return endOffset;
            }
            Map.Entry<Long, Segment> floor = segments.floorEntry(offset);
            for (Long base : new ArrayList<>(segments.tailMap(floor.getKey(), false).keySet())) {
                segments.remove(base).delete();
            }
            Segment seg = floor.getValue();
            long[] cut = {seg.committedBytes()};
            long[] pos = {0};
            seg.forEachBatch(0, seg.committedBytes(), MIN_READ_CHUNK, (buf, at, h) -> {
                if (h.nextOffset() > offset) {
                    cut[0] = pos[0];
                    return false;
                }
                pos[0] += h.batchLength();
                return true;
            });
            seg.storage().truncate(cut[0]);
            if (dir != null) {
                Files.deleteIfExists(StoreFiles.segmentFile(dir, seg.baseOffset(), StoreFiles.INDEX_SUFFIX));
                Files.deleteIfExists(StoreFiles.segmentFile(dir, seg.baseOffset(), StoreFiles.TIME_INDEX_SUFFIX));
            }
            Map.Entry<Long, Segment> before = segments.lowerEntry(seg.baseOffset());
            long maxBefore = before == null ? Long.MIN_VALUE : before.getValue().maxTimestamp();
            Segment rebuilt = new Segment(seg.baseOffset(), seg.storage(), dir, config.indexIntervalBytes());
            rebuilt.recover(maxBefore);
            if (config.fsyncPolicy() != FsyncPolicy.NEVER) {
                seg.storage().flush();
            }
            segments.put(rebuilt.baseOffset(), rebuilt);
            active = rebuilt;
            endOffset = rebuilt.nextOffset();
            maxTimestamp = rebuilt.maxTimestamp();
            return endOffset;
        } catch (IOException e) {
            throw new StorageException("truncation failed on shard " + shardIndex + " of stream " + stream, e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Lets a replica log that was closed while it led (a split or merge) take copies again as a
     * follower; the replicated shard itself stays closed to writers.
     */
    public void reopenForCopies() {
        closed = false;
    }

    /**
     * Empties the log and restarts it at {@code offset}, for a follower that fell behind its
     * leader's start offset (retention removed what it would copy next).
     */
    public void resetTo(long offset) {
        appendLock.lock();
        try {
            checkWritable();
            resetLocked(offset);
        } catch (IOException e) {
            throw new StorageException("reset failed on shard " + shardIndex + " of stream " + stream, e);
        } finally {
            appendLock.unlock();
        }
    }

    private void resetLocked(long offset) throws IOException {
        retentionLock.lock();
        try {
            for (Segment s : segments.values()) {
                s.delete();
            }
            segments.clear();
            Segment first = newSegment(offset);
            segments.put(offset, first);
            active = first;
            endOffset = offset;
            startOffset = offset;
            startTimestamp = Long.MIN_VALUE;
            maxTimestamp = Long.MIN_VALUE;
        } finally {
            retentionLock.unlock();
        }
    }

    /** Test hook: base offsets of the segments. */
    public List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }
}
