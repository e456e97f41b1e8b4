package dev.tributary.firehose.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Objects as files: bucket {@code b}, key {@code k} is the file {@code <root>/b/k} (each
 * {@code /} of the key a directory). An object appears whole or not at all: it is written to
 * {@code <root>/.tmp/} first and then renamed into place (atomically where the file system can),
 * so a reader (the S3 front end, a user's {@code ls}) never sees half an object.
 *
 * <p>Bucket names never start with a dot, so {@code .tmp} is never a bucket. Keys with empty,
 * {@code .} or {@code ..} segments cannot be files and are refused.
 *
 * <p>Thread-safe: writers use distinct temporary files; the last rename of a key wins.
 */
public final class FileSink {
    /** Where objects are staged before their rename; not a bucket. */
    public static final String TEMP_DIR = ".tmp";

    private final Path root;

    public FileSink(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The directory of a bucket (which may not exist). */
    public Path bucketDir(String bucket) {
        if (bucket.isEmpty() || bucket.startsWith(".") || bucket.contains("/") || bucket.contains("\\")) {
            throw new IllegalArgumentException("invalid bucket name " + bucket);
        }
        return root.resolve(bucket);
    }

    /** The file of an object; IllegalArgumentException if the key cannot be a file. */
    public Path file(String bucket, String key) {
        if (!isFileKey(key)) {
            throw new IllegalArgumentException("key cannot be stored as a file: " + key);
        }
        return bucketDir(bucket).resolve(key);
    }

    /** True when the key maps to a file: non-empty segments, none {@code .} or {@code ..}. */
    public static boolean isFileKey(String key) {
        if (key == null || key.isEmpty() || key.contains("\\") || key.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.equals(TEMP_DIR)) {
                return false;
            }
        }
        return true;
    }

    /** Creates the bucket's directory; true if it was not there. */
    public boolean createBucket(String bucket) {
        Path dir = bucketDir(bucket);
        try {
            if (Files.isDirectory(dir)) {
                return false;
            }
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes an object, creating its bucket if needed. Visible to readers only once complete.
     * Cost: one write of {@code body}, an fsync and a rename.
     */
    public Path write(String bucket, String key, byte[] body) {
        Path target = file(bucket, key);
        try {
            Path tmpDir = root.resolve(TEMP_DIR);
            Files.createDirectories(tmpDir);
            Files.createDirectories(target.getParent());
            Path tmp = tmpDir.resolve(UUID.randomUUID() + ".part");
            // fsync before the rename: the engine records the object as delivered right after.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(body);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
