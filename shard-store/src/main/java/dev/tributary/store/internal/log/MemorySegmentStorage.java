package dev.tributary.store.internal.log;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A segment held in a growable heap array, for the in-memory store.
 *
 * <p>Thread-safety: see {@link SegmentStorage}. The writer only ever writes past every byte a
 * reader may read, and a grown array is published through a volatile field after the copy, so a
 * reader holding either the old or the new array sees the same published bytes.
 */
public final class MemorySegmentStorage implements SegmentStorage {
    private volatile byte[] bytes = new byte[4096];
    private int size;
    private volatile boolean deleted;

    @Override
    public long size() {
        return size;
    }

    @Override
    public void append(ByteBuffer batch) {
        int n = batch.remaining();
        byte[] current = bytes;
        if (current.length - size < n) {
            long wanted = Math.max((long) size + n, (long) current.length * 2);
            current = Arrays.copyOf(current, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            if (current.length - size < n) {
                throw new IllegalStateException("in-memory segment full");
            }
        }
        batch.get(current, size, n);
        size += n;
        bytes = current;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        // A deleted segment reads as empty; Segment notices the deletion and tells the reader.
        byte[] current = deleted ? new byte[0] : bytes;
        int n = (int) Math.max(0, Math.min(dst.remaining(), current.length - position));
        dst.put(current, (int) position, n);
        return n;
    }

    @Override
    public void truncate(long newSize) {
        if (newSize < size) {
            Arrays.fill(bytes, (int) newSize, size, (byte) 0);
            size = (int) newSize;
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void delete() {
        deleted = true;
        bytes = new byte[0];
    }

    @Override
    public void close() {
    }
}
