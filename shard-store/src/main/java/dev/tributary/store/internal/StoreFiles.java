package dev.tributary.store.internal;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Every file and directory name the store uses on disk, in one place.
 *
 * <pre>
 * &lt;dataDir&gt;/
 *   .lock                          held (OS file lock) while a store has the directory open
 *   .clean-shutdown                present only between a clean close() and the next open
 *   store.meta                     store-wide metadata (next stream id), see StoreMetadata
 *   streams/
 *     &lt;id&gt;/                         one directory per stream, named by its numeric id
 *       stream.meta                the stream's topology and settings, see MetadataCodec
 *       shard-&lt;index&gt;/             one directory per shard
 *         00000000000000000000.log        segment: record batches, see RecordBatch
 *         00000000000000000000.index      sparse offset index, see OffsetIndex
 *         00000000000000000000.timeindex  sparse time index, see TimeIndex
 *     &lt;id&gt;.deleting/                a stream being deleted; removed on the next open
 * </pre>
 *
 * <p>Any {@code *.tmp} file is a half-written atomic replacement and is ignored and removed.
 *
 * <p>Stateless; thread-safe.
 */
public final class StoreFiles {
    /** A segment's record batches. */
    public static final String LOG_SUFFIX = ".log";
    /** A segment's sparse offset index. */
    public static final String INDEX_SUFFIX = ".index";
    /** A segment's sparse time index. */
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** A file being written before its atomic rename into place. */
    public static final String TMP_SUFFIX = ".tmp";
    /** A stream directory renamed away before its recursive removal. */
    public static final String DELETING_SUFFIX = ".deleting";

    public static final String LOCK_FILE = ".lock";
    public static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    public static final String STORE_META_FILE = "store.meta";
    public static final String STREAMS_DIR = "streams";
    public static final String STREAM_META_FILE = "stream.meta";
    /** Per stream in a replicated store: replica placement, leaders, epochs, in-sync sets. */
    public static final String REPLICAS_META_FILE = "replicas.meta";
    /** Under the data dir: one directory per node above 0 ({@code nodes/node-<id>/<streamId>/shard-<n>}). */
    public static final String NODES_DIR = "nodes";
    public static final String NODE_DIR_PREFIX = "node-";
    public static final String SHARD_DIR_PREFIX = "shard-";

    private static final int OFFSET_DIGITS = 20;

    private StoreFiles() {
    }

    /** {@code 00000000000000000042.log} for base offset 42 and suffix {@code .log}. */
    public static String segmentFileName(long baseOffset, String suffix) {
        String digits = Long.toString(baseOffset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits + suffix;
    }

    public static Path segmentFile(Path shardDir, long baseOffset, String suffix) {
        return shardDir.resolve(segmentFileName(baseOffset, suffix));
    }

    /** The base offset of a segment file name with that suffix, or empty if the name is not one. */
    public static OptionalLong parseBaseOffset(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != OFFSET_DIGITS + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(0, OFFSET_DIGITS);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public static String shardDirName(int shardIndex) {
        return SHARD_DIR_PREFIX + shardIndex;
    }

    public static String streamDirName(long streamId) {
        return Long.toString(streamId);
    }
}
