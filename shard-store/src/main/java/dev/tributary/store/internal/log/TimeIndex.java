package dev.tributary.store.internal.log;

import dev.tributary.store.internal.FileUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The sparse time index of one segment. An entry (T, O) says: every record of the shard with an
 * offset below O has a timestamp of at most T, T being the largest timestamp so far. Entries are
 * added next to offset-index entries when T grew, and once more when the segment is sealed, so the
 * last entry of a sealed segment holds its largest timestamp and its end offset.
 *
 * <p>To find the first record at or after a time, take the last entry with T below it and scan
 * from O: nothing before O can match.
 *
 * <p>Kept in memory and written to the {@code .timeindex} file on seal; a cache like
 * {@link OffsetIndex}, trusted only after a clean shutdown and a sanity check.
 *
 * <pre>
 * .timeindex file: entries back to back, 12 bytes each, big-endian
 *   int64  maxTimestamp     largest timestamp so far; never decreases
 *   int32  relativeOffset   O minus the segment's base offset; strictly increasing
 * </pre>
 *
 * <p>Thread-safety: as {@link OffsetIndex}: one writer, lock-free readers over published snapshots.
 */
public final class TimeIndex {
    static final int ENTRY_SIZE = 12;

    private record Entries(long[] timestamps, int[] relOffsets, int count) {
    }

    private volatile Entries entries = new Entries(new long[8], new int[8], 0);

    /** Adds (T, O) unless it would not tell anything new. Writer only. */
    public void maybeAppend(long maxTimestamp, int relativeOffset) {
        Entries e = entries;
        if (e.count > 0 && (e.relOffsets[e.count - 1] >= relativeOffset || e.timestamps[e.count - 1] > maxTimestamp)) {
            return;
        }
        long[] ts = e.timestamps;
        int[] rel = e.relOffsets;
        if (e.count == ts.length) {
            ts = Arrays.copyOf(ts, ts.length * 2);
            rel = Arrays.copyOf(rel, rel.length * 2);
        }
        ts[e.count] = maxTimestamp;
        rel[e.count] = relativeOffset;
        entries = new Entries(ts, rel, e.count + 1);
    }

    public void clear() {
        entries = new Entries(new long[8], new int[8], 0);
    }

    public int size() {
        return entries.count;
    }

    public long lastTimestamp() {
        Entries e = entries;
        return e.count == 0 ? Long.MIN_VALUE : e.timestamps[e.count - 1];
    }

    public int lastRelativeOffset() {
        Entries e = entries;
        return e.count == 0 ? 0 : e.relOffsets[e.count - 1];
    }

    /**
     * The O of the last entry whose T is below {@code timestamp}: no record before it is at or after
     * that time. 0 when there is none.
     */
    public int scanStartFor(long timestamp) {
        Entries e = entries;
        int lo = 0;
        int hi = e.count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (e.timestamps[mid] < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : e.relOffsets[found];
    }

    public void writeTo(Path file, boolean force) throws IOException {
        Entries e = entries;
        ByteBuffer buf = ByteBuffer.allocate(e.count * ENTRY_SIZE);
        for (int i = 0; i < e.count; i++) {
            buf.putLong(e.timestamps[i]).putInt(e.relOffsets[i]);
        }
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileUtil.writeFully(ch, buf, 0);
            if (force) {
                ch.force(false);
            }
        }
    }

    /**
     * Reads a time index file, or null if missing or insane: whole entries, T never decreasing,
     * O strictly increasing, and (for a non-empty segment) a last entry whose O equals
     * {@code recordCount}, as sealing leaves it.
     */
    public static TimeIndex load(Path file, long recordCount) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % ENTRY_SIZE != 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        TimeIndex index = new TimeIndex();
        long prevTs = Long.MIN_VALUE;
        long prevRel = 0;
        int n = bytes.length / ENTRY_SIZE;
        for (int i = 0; i < n; i++) {
            long ts = buf.getLong();
            int rel = buf.getInt();
            if (ts < prevTs || rel <= prevRel || rel > recordCount) {
                return null;
            }
            index.maybeAppend(ts, rel);
            prevTs = ts;
            prevRel = rel;
        }
        if (recordCount > 0 && (n == 0 || prevRel != recordCount)) {
            return null;
        }
        return index;
    }
}
