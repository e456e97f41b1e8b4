package dev.tributary.store.internal.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of one segment: a file or an in-memory buffer. Everything above it (indexing,
 * reading, recovery, retention) is shared by the two.
 *
 * <p>Thread-safety: one writer ({@link #append}, {@link #truncate}) at a time, serialized by the
 * owning shard log; any number of concurrent {@link #read}s of bytes that were appended before
 * the reader learned of them (through a volatile publication in {@link Segment}).
 */
public interface SegmentStorage extends AutoCloseable {

    /** Bytes held, as the writer sees them. */
    long size() throws IOException;

    /** Writes all of {@code batch} at the end. Returns once the bytes are with the OS (or memory). */
    void append(ByteBuffer batch) throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position} into {@code dst}; fewer only at
     * the end of the data. Returns the number of bytes read.
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Drops every byte from {@code size} on. */
    void truncate(long size) throws IOException;

    /** Forces written bytes to stable storage; a no-op in memory. */
    void flush() throws IOException;

    /** Releases the storage and removes its bytes for good. */
    void delete() throws IOException;

    @Override
    void close() throws IOException;
}
