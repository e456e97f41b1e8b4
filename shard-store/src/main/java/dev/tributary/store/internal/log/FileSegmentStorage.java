package dev.tributary.store.internal.log;

import dev.tributary.store.internal.FileUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment held in a {@code .log} file, written and read with positional {@link FileChannel}
 * calls so readers never move a shared file pointer. A completed {@link #append} is in the OS
 * page cache and so survives a crash of the process; {@link #flush} makes it survive power loss.
 *
 * <p>Thread-safety: see {@link SegmentStorage}; the write position is only touched by the writer.
 */
public final class FileSegmentStorage implements SegmentStorage {
    private final Path file;
    private final FileChannel channel;
    private long size;

    private FileSegmentStorage(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /** Opens (creating if absent) the segment file. */
    public static FileSegmentStorage open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new FileSegmentStorage(file, ch, ch.size());
    }

    public Path file() {
        return file;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void append(ByteBuffer batch) throws IOException {
        int n = batch.remaining();
        try {
            FileUtil.writeFully(channel, batch, size);
        } catch (IOException e) {
            // Leave no torn bytes behind for readers or the next append to trip over.
            try {
                channel.truncate(size);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        size += n;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return FileUtil.readFully(channel, dst, position);
    }

    @Override
    public void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        size = Math.min(size, newSize);
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
