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
 * The sparse offset index of one segment: which file position a batch starting at a given
 * offset is at, for one batch every {@code indexIntervalBytes} or so. A lookup finds the nearest
 * batch at or before an offset; the reader scans forward from there. The first batch (position 0)
 * has no entry.
 *
 * <p>Kept in memory; written to the {@code .index} file when its segment is sealed (rolled, or the
 * store closed). The file is a cache without a checksum: it is only trusted after a clean shutdown
 * and after {@link #load} checked it, and rebuilt from the log otherwise.
 *
 * <pre>
 * .index file: entries back to back, 8 bytes each, big-endian
 *   int32  relativeOffset   batch base offset minus the segment's base offset; strictly increasing
 *   int32  position         byte position of that batch in the .log file; strictly increasing
 * </pre>
 *
 * <p>Thread-safety: one writer ({@link #append}, {@link #clear}) at a time, serialized by the
 * shard log; lookups from any thread, lock-free. Entries are written beyond what readers can see
 * and then published with a new immutable-size snapshot through a volatile field.
 */
public final class OffsetIndex {
    static final int ENTRY_SIZE = 8;

    private record Entries(int[] relOffsets, int[] positions, int count) {
    }

    private volatile Entries entries = new Entries(new int[16], new int[16], 0);

    /** Adds an entry; relative offsets and positions must grow. Writer only. */
    public void append(int relativeOffset, int position) {
        Entries e = entries;
        int[] rel = e.relOffsets;
        int[] pos = e.positions;
        if (e.count == rel.length) {
            rel = Arrays.copyOf(rel, rel.length * 2);
            pos = Arrays.copyOf(pos, pos.length * 2);
        }
        rel[e.count] = relativeOffset;
        pos[e.count] = position;
        entries = new Entries(rel, pos, e.count + 1);
    }

    /** Drops every entry. Writer only. */
    public void clear() {
        entries = new Entries(new int[16], new int[16], 0);
    }

    public int size() {
        return entries.count;
    }

    /**
     * The entry with the largest relative offset at or below {@code relativeOffset}, packed as
     * {@code (relativeOffset << 32) | position}; 0 (the segment start) when there is none.
     */
    public long floor(long relativeOffset) {
        Entries e = entries;
        int lo = 0;
        int hi = e.count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (e.relOffsets[mid] <= relativeOffset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0L : ((long) e.relOffsets[found] << 32) | (e.positions[found] & 0xFFFFFFFFL);
    }

    /** The last entry, packed as in {@link #floor}, or 0 when empty. */
    public long last() {
        Entries e = entries;
        return e.count == 0 ? 0L
                : ((long) e.relOffsets[e.count - 1] << 32) | (e.positions[e.count - 1] & 0xFFFFFFFFL);
    }

    /** Writes the index file, replacing any previous one, and optionally forces it to disk. */
    public void writeTo(Path file, boolean force) throws IOException {
        Entries e = entries;
        ByteBuffer buf = ByteBuffer.allocate(e.count * ENTRY_SIZE);
        for (int i = 0; i < e.count; i++) {
            buf.putInt(e.relOffsets[i]).putInt(e.positions[i]);
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
     * Reads an index file, or returns null if it is missing or fails a sanity check: its size is a
     * whole number of entries, both columns strictly increase, every position lies inside a log
     * of {@code logSize} bytes and every relative offset below {@code maxRelativeOffset}.
     */
    public static OffsetIndex load(Path file, long logSize, long maxRelativeOffset) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % ENTRY_SIZE != 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        OffsetIndex index = new OffsetIndex();
        long prevRel = 0;
        long prevPos = 0;
        for (int i = 0; i < bytes.length / ENTRY_SIZE; i++) {
            int rel = buf.getInt();
            int pos = buf.getInt();
            if (rel <= prevRel || pos <= prevPos || pos >= logSize || rel >= maxRelativeOffset) {
                return null;
            }
            index.append(rel, pos);
            prevRel = rel;
            prevPos = pos;
        }
        return index;
    }
}
