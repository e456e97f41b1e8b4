package dev.tributary.store.internal.replica;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.internal.FileUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica's leader-epoch history: for each leader epoch, the offset of the first record written
 * in it. Kafka keeps the same table ({@code leader-epoch-checkpoint}) to find where a returning
 * replica's log diverged from the current leader's: the end of the replica's last epoch as the
 * leader knows it.
 *
 * <p>File form ({@value #FILE}, replaced atomically on change): one line per epoch,
 * {@code <epoch> <startOffset>}, ascending. Thread-safe (synchronized).
 */
final class EpochCache {
    static final String FILE = "leader-epochs";

    private final TreeMap<Integer, Long> starts = new TreeMap<>();
    /** Null in memory. */
    private final Path file;
    private final boolean sync;

    private EpochCache(Path file, boolean sync) {
        this.file = file;
        this.sync = sync;
    }

    /** The cache of the replica in {@code replicaDir} (null: in memory), loaded if its file exists. */
    static EpochCache load(Path replicaDir, boolean sync) throws IOException {
        EpochCache c = new EpochCache(replicaDir == null ? null : replicaDir.resolve(FILE), sync);
        if (c.file != null && Files.exists(c.file)) {
            for (String line : Files.readAllLines(c.file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                try {
                    c.starts.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                } catch (RuntimeException e) {
                    throw new CorruptStoreException("malformed line in " + c.file + ": " + line);
                }
            }
        }
        return c;
    }

    /** Records that {@code epoch} starts at {@code startOffset}; ignored unless newer than the last. */
    synchronized void assign(int epoch, long startOffset) {
        if (!starts.isEmpty() && starts.lastKey() >= epoch) {
            return;
        }
        starts.put(epoch, startOffset);
        persist();
    }

    /** The newest epoch, or -1 when none is known. */
    synchronized int latestEpoch() {
        return starts.isEmpty() ? -1 : starts.lastKey();
    }

    /**
     * Where {@code epoch} ends in this (the leader's) history: the start of the next newer epoch,
     * or {@code logEnd} when {@code epoch} is the newest or newer.
     */
    synchronized long endOffsetFor(int epoch, long logEnd) {
        Map.Entry<Integer, Long> next = starts.higherEntry(epoch);
        return next == null ? logEnd : Math.min(next.getValue(), logEnd);
    }

    /** Forgets epochs that start at or after {@code offset} (the log was truncated there). */
    synchronized void truncateFrom(long offset) {
        if (starts.values().removeIf(s -> s >= offset)) {
            persist();
        }
    }

    /** Copies the leader's epochs that start at or below {@code upTo} and are newer than ours. */
    void copyFrom(EpochCache leader, long upTo) {
        TreeMap<Integer, Long> theirs;
        synchronized (leader) {
            theirs = new TreeMap<>(leader.starts);
        }
        synchronized (this) {
            boolean changed = false;
            for (Map.Entry<Integer, Long> e : theirs.entrySet()) {
                if (e.getValue() <= upTo && (starts.isEmpty() || e.getKey() > starts.lastKey())) {
                    starts.put(e.getKey(), e.getValue());
                    changed = true;
                }
            }
            if (changed) {
                persist();
            }
        }
    }

    synchronized Map<Integer, Long> snapshot() {
        return new TreeMap<>(starts);
    }

    private void persist() {
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        starts.forEach((e, s) -> sb.append(e).append(' ').append(s).append('\n'));
        try {
            FileUtil.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8), sync);
        } catch (IOException e) {
            throw new dev.tributary.store.api.StorageException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
