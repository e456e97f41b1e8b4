package dev.tributary.store.internal;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.api.InvalidTopologyException;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.NewShard;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardNotFoundException;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StorageException;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StoreException;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.api.StreamSpec;
import dev.tributary.store.internal.log.DefaultShardLog;
import dev.tributary.store.internal.log.LogConfig;
import dev.tributary.store.internal.meta.MetadataCodec;
import dev.tributary.store.internal.meta.ReplicasCodec;
import dev.tributary.store.internal.replica.Cluster;
import dev.tributary.store.internal.replica.ReplicaLogs;
import dev.tributary.store.internal.replica.ReplicatedShardLog;
import dev.tributary.store.api.NodeFaults;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.ReplicaState;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ShardStore}: streams by name, each a {@link StreamState} with one
 * {@link DefaultShardLog} per shard, and each stream's metadata in one {@code stream.meta}
 * document replaced atomically on every change (see {@link MetadataCodec}, {@link FileUtil}).
 * With a null data directory the same code runs in memory and metadata is simply not persisted.
 *
 * <p>Durability of topology: a change is decided while holding the stream's monitor and the
 * append locks of the shards it closes (after forcing their logs), and takes effect with the
 * atomic rename of the new {@code stream.meta}. Creating a stream makes its directory and shard
 * logs first and the metadata last; deleting renames the directory to {@code <id>.deleting} (the
 * commit point) and then removes it. {@link #open} finishes or undoes whatever a crash left half
 * done. The directory is locked against a second store.
 *
 * <p>Thread-safety: thread-safe. Lock order: the store's monitor (create, delete, close), then a
 * stream's monitor (topology, attributes), then shard append locks in index order. Reads and
 * appends take no store or stream lock.
 */
public final class DefaultShardStore implements ShardStore {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultShardStore.class);

    private final StoreConfig config;
    private final LogConfig logConfig;
    private final Path root;
    private final Path streamsDir;
    /** Whether metadata changes are fsynced: all policies but NEVER. */
    private final boolean sync;
    private final Map<String, StreamState> byName = new ConcurrentHashMap<>();
    private final List<ScheduledExecutorService> background = new ArrayList<>();
    /** The nodes when the store replicates (more than one node); null for a single node. */
    private final Cluster cluster;
    private FileChannel lockChannel;
    private FileLock lock;
    private long nextStreamId = 1;
    private volatile boolean closed;

    private DefaultShardStore(StoreConfig config) {
        this.config = config;
        this.logConfig = LogConfig.from(config);
        this.root = config.dataDir();
        this.streamsDir = root == null ? null : root.resolve(StoreFiles.STREAMS_DIR);
        this.sync = config.fsyncPolicy() != StoreConfig.FsyncPolicy.NEVER;
        this.cluster = config.replication().nodes() > 1 ? new Cluster(config.replication(), config.clock()) : null;
    }

    /** Opens (creating or recovering) the store described by {@code config}. */
    public static DefaultShardStore open(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        DefaultShardStore store = new DefaultShardStore(config);
        try {
            if (!config.inMemory()) {
                store.load();
            }
        } catch (IOException e) {
            store.abandon();
            throw new StorageException("cannot open store at " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.abandon();
            throw e;
        }
        store.startBackground();
        LOG.info("store opened dataDir={} streams={}", config.inMemory() ? "(memory)" : config.dataDir(),
                store.byName.size());
        return store;
    }

    private void load() throws IOException {
        boolean existed = Files.exists(root.resolve(StoreFiles.STORE_META_FILE)) || Files.exists(streamsDir);
        Files.createDirectories(streamsDir);
        lockChannel = FileChannel.open(root.resolve(StoreFiles.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new StorageException("data directory " + root + " is in use by another store");
        }
        Path marker = root.resolve(StoreFiles.CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        if (clean) {
            Files.delete(marker);
            FileUtil.fsyncDirectory(root);
        } else if (existed) {
            LOG.info("no clean-shutdown marker: validating every segment dataDir={}", root);
        }
        Path storeMeta = root.resolve(StoreFiles.STORE_META_FILE);
        Files.deleteIfExists(root.resolve(StoreFiles.STORE_META_FILE + StoreFiles.TMP_SUFFIX));
        if (Files.exists(storeMeta)) {
            nextStreamId = MetadataCodec.decodeStore(Files.readAllBytes(storeMeta), storeMeta.toString());
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(streamsDir)) {
            ds.forEach(dirs::add);
        }
        dirs.sort(Comparator.comparing(Path::toString));
        // A progress line every few seconds while a large data directory is recovered.
        long started = System.nanoTime();
        long lastProgress = started;
        int done = 0;
        for (Path dir : dirs) {
            long now = System.nanoTime();
            if (now - lastProgress > 3_000_000_000L) {
                LOG.info("recovering streams done={} total={} seconds={}", done, dirs.size(),
                        (now - started) / 1_000_000_000L);
                lastProgress = now;
            }
            done++;
            String name = dir.getFileName().toString();
            if (name.endsWith(StoreFiles.DELETING_SUFFIX)) {
                LOG.info("finishing interrupted stream deletion dir={}", dir);
                FileUtil.deleteRecursively(dir);
                continue;
            }
            if (!Files.isDirectory(dir) || !name.chars().allMatch(Character::isDigit)) {
                LOG.warn("ignoring unexpected entry in streams directory path={}", dir);
                continue;
            }
            loadStream(dir, Long.parseLong(name), clean);
        }
        removeOrphanNodeDirs();
    }

    /** Removes node directories of streams that no longer exist (a deletion interrupted by a crash). */
    private void removeOrphanNodeDirs() throws IOException {
        Path nodes = root.resolve(StoreFiles.NODES_DIR);
        if (!Files.isDirectory(nodes)) {
            return;
        }
        Set<String> live = new HashSet<>();
        for (StreamState st : byName.values()) {
            live.add(StoreFiles.streamDirName(st.id));
        }
        try (DirectoryStream<Path> nodeDirs = Files.newDirectoryStream(nodes)) {
            for (Path nodeDir : nodeDirs) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(nodeDir)) {
                    for (Path p : ds) {
                        if (!live.contains(p.getFileName().toString())) {
                            LOG.info("removing replica directory of a deleted stream dir={}", p);
                            FileUtil.deleteRecursively(p);
                        }
                    }
                }
            }
        }
    }

    private void loadStream(Path dir, long id, boolean clean) throws IOException {
        Path meta = dir.resolve(StoreFiles.STREAM_META_FILE);
        Files.deleteIfExists(dir.resolve(StoreFiles.STREAM_META_FILE + StoreFiles.TMP_SUFFIX));
        if (!Files.exists(meta)) {
            LOG.warn("removing stream directory without metadata (creation interrupted) dir={}", dir);
            FileUtil.deleteRecursively(dir);
            return;
        }
        StreamInfo info = MetadataCodec.decodeStream(Files.readAllBytes(meta), meta.toString());
        if (info.id() != id) {
            throw new CorruptStoreException("stream directory " + dir + " holds metadata of stream id " + info.id());
        }
        if (byName.containsKey(info.name())) {
            throw new CorruptStoreException("two stream directories hold stream " + info.name());
        }
        nextStreamId = Math.max(nextStreamId, id + 1);
        StreamState state = new StreamState(id, dir, info);
        state.loading = true;
        byName.put(info.name(), state);
        Set<String> shardDirs = new HashSet<>();
        Path replicasMeta = dir.resolve(StoreFiles.REPLICAS_META_FILE);
        Files.deleteIfExists(dir.resolve(StoreFiles.REPLICAS_META_FILE + StoreFiles.TMP_SUFFIX));
        Map<Integer, ReplicatedShardLog.State> replicas = Files.exists(replicasMeta)
                ? ReplicasCodec.decode(Files.readAllBytes(replicasMeta), replicasMeta.toString()) : Map.of();
        if (cluster == null && !replicas.isEmpty()) {
            throw new StorageException("stream " + info.name() + " in " + dir + " is replicated: open the store with"
                    + " as many nodes as it was written with");
        }
        for (ShardInfo shard : info.shards()) {
            String shardDir = StoreFiles.shardDirName(shard.index());
            shardDirs.add(shardDir);
            if (cluster == null) {
                state.logs.add(DefaultShardLog.open(info.name(), shard.index(), dir.resolve(shardDir), logConfig,
                        info.retention(), clean, shard.isOpen() ? -1 : shard.endOffset()));
            } else {
                // A stream written before the store replicated has its one copy on node 0.
                ReplicatedShardLog.State st = replicas.getOrDefault(shard.index(),
                        new ReplicatedShardLog.State(List.of(0), 0, 0, List.of(0)));
                for (int node : st.replicas()) {
                    if (node >= cluster.size()) {
                        throw new StorageException("shard " + shard.index() + " of stream " + info.name()
                                + " has a replica on node " + node + " but the store runs " + cluster.size() + " nodes");
                    }
                }
                state.logs.add(ReplicatedShardLog.open(info.name(), shard.index(), cluster,
                        new Replicas(state, shard.index(), clean), st, info.retention(), !shard.isOpen()));
            }
        }
        state.loading = false;
        persistReplicas(state); // what the shards settled on while opening (elections, in-sync changes)
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(StoreFiles.SHARD_DIR_PREFIX) && !shardDirs.contains(n)) {
                    LOG.warn("removing shard directory not in the stream's metadata (reshard interrupted) dir={}", p);
                    FileUtil.deleteRecursively(p);
                }
            }
        }
    }

    /** Releases what a failed open acquired. */
    private void abandon() {
        for (StreamState s : byName.values()) {
            for (ShardLogHandle log : s.logs) {
                try {
                    log.shutdown();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing log after failed open", e);
                }
            }
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("could not release data directory lock dataDir={}", root, e);
        }
    }

    private void startBackground() {
        if (!config.inMemory() && config.fsyncPolicy() == StoreConfig.FsyncPolicy.INTERVAL) {
            long ms = config.fsyncInterval().toMillis();
            if (ms > 0) {
                ScheduledExecutorService fsync = daemon("tributary-store-fsync");
                fsync.scheduleWithFixedDelay(() -> runQuietly("fsync", this::flush), ms, ms, TimeUnit.MILLISECONDS);
                background.add(fsync);
            } else {
                LOG.warn("fsyncInterval is not positive: no background fsync interval={}", config.fsyncInterval());
            }
        }
        long retentionMs = config.retentionCheckInterval().toMillis();
        if (retentionMs > 0) {
            ScheduledExecutorService retention = daemon("tributary-store-retention");
            retention.scheduleWithFixedDelay(() -> runQuietly("retention", this::enforceRetention), retentionMs,
                    retentionMs, TimeUnit.MILLISECONDS);
            background.add(retention);
        }
        if (cluster != null) {
            ScheduledExecutorService replicas = daemon("tributary-store-replicas");
            replicas.scheduleWithFixedDelay(() -> runQuietly("replica check", this::checkReplicas), 100, 100,
                    TimeUnit.MILLISECONDS);
            background.add(replicas);
        }
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private void runQuietly(String task, Runnable r) {
        try {
            if (!closed) {
                r.run();
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log and keep going.
            LOG.error("background {} failed", task, e);
        }
    }

    // ---------------------------------------------------------------- streams

    @Override
    public StreamInfo createStream(StreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (this) {
            checkOpen();
            if (byName.containsKey(spec.name())) {
                throw new StreamExistsException("Stream " + spec.name() + " already exists");
            }
            long id = nextStreamId++;
            Instant now = config.clock().instant();
            List<KeyRange> ranges = KeyRange.evenSplit(spec.shardCount());
            List<ShardInfo> shards = new ArrayList<>(ranges.size());
            for (int i = 0; i < ranges.size(); i++) {
                shards.add(new ShardInfo(i, ranges.get(i), OptionalInt.empty(), OptionalInt.empty(), now, null, -1));
            }
            StreamInfo info = new StreamInfo(spec.name(), id, now, spec.retention(), shards, spec.attributes(), 1);
            Path dir = streamsDir == null ? null : streamsDir.resolve(StoreFiles.streamDirName(id));
            StreamState state = new StreamState(id, dir, info);
            try {
                if (dir != null) {
                    // The id first, so it is never handed out twice even if this creation is undone.
                    FileUtil.writeAtomically(root.resolve(StoreFiles.STORE_META_FILE),
                            MetadataCodec.encodeStore(nextStreamId), sync);
                    Files.createDirectory(dir);
                }
                int factor = spec.replicationFactor() == 0 ? config.replication().defaultReplicationFactor()
                        : spec.replicationFactor();
                if (cluster == null && factor > 1) {
                    throw new InvalidTopologyException("Replication factor " + factor
                            + " is larger than the 1 node of the store");
                }
                for (ShardInfo s : shards) {
                    state.logs.add(newShardLog(state, spec.name(), s.index(), factor, spec.retention()));
                }
                persistReplicas(state);
                if (dir != null) {
                    FileUtil.writeAtomically(dir.resolve(StoreFiles.STREAM_META_FILE), MetadataCodec.encodeStream(info),
                            sync);
                    if (sync) {
                        FileUtil.fsyncDirectory(streamsDir);
                    }
                }
            } catch (IOException e) {
                discard(state);
                throw new StorageException("cannot create stream " + spec.name() + ": " + e.getMessage(), e);
            }
            byName.put(spec.name(), state);
            LOG.info("stream created stream={} id={} shards={} retention={}", spec.name(), id, spec.shardCount(),
                    spec.retention());
            return info;
        }
    }

    /** A new shard's log: a plain log on a single-node store, a replicated shard otherwise. */
    private ShardLogHandle newShardLog(StreamState state, String stream, int index, int factor, Duration retention)
            throws IOException {
        if (cluster == null) {
            return DefaultShardLog.create(stream, index, shardDir(state.dir, index), logConfig, retention);
        }
        return ReplicatedShardLog.create(stream, index, cluster, new Replicas(state, index, false),
                cluster.assign(index, factor), retention);
    }

    /** Replication factor of an existing stream: that of its first shard. */
    private static int factorOf(StreamState state) {
        ShardLogHandle first = state.logs.get(0);
        return first instanceof ReplicatedShardLog r ? r.state().replicas().size() : 1;
    }

    /** Writes the stream's replicas.meta from every shard's current state (replicated stores only). */
    private void persistReplicas(StreamState state) {
        if (cluster == null || state.dir == null) {
            return;
        }
        synchronized (state.replicasLock) {
            if (state.deleted || state.loading) {
                return;
            }
            Map<Integer, ReplicatedShardLog.State> all = new java.util.TreeMap<>();
            for (ShardLogHandle h : state.logs) {
                if (h instanceof ReplicatedShardLog r) {
                    all.put(r.shardIndex(), r.state());
                }
            }
            try {
                FileUtil.writeAtomically(state.dir.resolve(StoreFiles.REPLICAS_META_FILE), ReplicasCodec.encode(all),
                        sync);
            } catch (IOException e) {
                throw new StorageException("cannot write replicas of stream " + state.info.name() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The replica directories and state callbacks of one shard. */
    private final class Replicas implements ReplicaLogs {
        private final StreamState state;
        private final int index;
        private final boolean clean;

        Replicas(StreamState state, int index, boolean clean) {
            this.state = state;
            this.index = index;
            this.clean = clean;
        }

        @Override
        public Path dir(int node) {
            if (state.dir == null) {
                return null;
            }
            if (node == 0) {
                return shardDir(state.dir, index);
            }
            return root.resolve(StoreFiles.NODES_DIR).resolve(StoreFiles.NODE_DIR_PREFIX + node)
                    .resolve(StoreFiles.streamDirName(state.id)).resolve(StoreFiles.shardDirName(index));
        }

        @Override
        public DefaultShardLog create(int node) throws IOException {
            return DefaultShardLog.create(state.info.name(), index, dir(node), logConfig, state.info.retention());
        }

        @Override
        public DefaultShardLog open(int node) throws IOException {
            return DefaultShardLog.open(state.info.name(), index, dir(node), logConfig, state.info.retention(), clean,
                    -1);
        }

        @Override
        public boolean sync() {
            return sync;
        }

        @Override
        public void stateChanged(ReplicatedShardLog shard) {
            persistReplicas(state);
        }
    }

    private static Path shardDir(Path streamDir, int index) {
        return streamDir == null ? null : streamDir.resolve(StoreFiles.shardDirName(index));
    }

    /** Undoes a half-made stream. */
    private void discard(StreamState state) {
        for (ShardLogHandle log : state.logs) {
            log.markDeleted();
        }
        if (state.dir != null) {
            try {
                FileUtil.deleteRecursively(state.dir);
                deleteNodeDirs(state.id);
            } catch (IOException e) {
                LOG.warn("could not remove directory of failed stream creation dir={}", state.dir, e);
            }
        }
    }

    @Override
    public Optional<StreamInfo> stream(String name) {
        StreamState s = byName.get(name);
        return s == null ? Optional.empty() : Optional.of(s.info);
    }

    @Override
    public List<StreamInfo> streams() {
        return byName.values().stream().map(s -> s.info).sorted(Comparator.comparing(StreamInfo::name)).toList();
    }

    @Override
    public void deleteStream(String name) {
        synchronized (this) {
            checkOpen();
            StreamState state = state(name);
            synchronized (state) {
                state.deleted = true;
                for (ShardLogHandle log : state.logs) {
                    log.markDeleted();
                }
                byName.remove(name);
                if (state.dir != null) {
                    Path deleting = streamsDir.resolve(StoreFiles.streamDirName(state.id) + StoreFiles.DELETING_SUFFIX);
                    try {
                        Files.move(state.dir, deleting, StandardCopyOption.ATOMIC_MOVE);
                        if (sync) {
                            FileUtil.fsyncDirectory(streamsDir);
                        }
                    } catch (IOException e) {
                        throw new StorageException("cannot delete stream " + name + ": " + e.getMessage(), e);
                    }
                    try {
                        FileUtil.deleteRecursively(deleting);
                        deleteNodeDirs(state.id);
                    } catch (IOException e) {
                        LOG.warn("stream deleted but its files remain until the next open stream={} dir={}", name,
                                deleting, e);
                    }
                }
            }
            LOG.info("stream deleted stream={} id={}", name, state.id);
        }
    }

    private void deleteNodeDirs(long id) throws IOException {
        if (cluster == null || root == null) {
            return;
        }
        for (int n = 1; n < cluster.size(); n++) {
            FileUtil.deleteRecursively(root.resolve(StoreFiles.NODES_DIR).resolve(StoreFiles.NODE_DIR_PREFIX + n)
                    .resolve(StoreFiles.streamDirName(id)));
        }
    }

    @Override
    public StreamInfo updateStream(String name, UnaryOperator<Map<String, String>> update, Duration retention) {
        Objects.requireNonNull(update, "update");
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        StreamState state = state(name);
        synchronized (state) {
            checkLive(state);
            StreamInfo cur = state.info;
            Map<String, String> attributes = update.apply(Map.copyOf(cur.attributes()));
            Duration newRetention = retention == null ? cur.retention() : retention;
            StreamInfo next = new StreamInfo(cur.name(), cur.id(), cur.createdAt(), newRetention, cur.shards(),
                    attributes == null ? Map.of() : attributes, cur.version() + 1);
            persist(state, next);
            state.info = next;
            if (retention != null) {
                for (ShardLogHandle log : state.logs) {
                    log.setRetention(newRetention);
                }
                if (!retention.equals(cur.retention())) {
                    LOG.info("stream retention changed stream={} from={} to={}", name, cur.retention(), newRetention);
                }
            }
            return next;
        }
    }

    // ---------------------------------------------------------------- topology

    @Override
    public StreamInfo splitShard(String stream, int shardIndex, BigInteger newStartingKey) {
        Objects.requireNonNull(newStartingKey, "newStartingKey");
        StreamState state = state(stream);
        synchronized (state) {
            checkLive(state);
            ShardInfo parent = openShard(state, shardIndex);
            KeyRange r = parent.keyRange();
            if (newStartingKey.compareTo(r.start()) <= 0 || newStartingKey.compareTo(r.end()) > 0) {
                throw new InvalidTopologyException("New starting key " + newStartingKey + " is not strictly inside"
                        + " the key range [" + r.start() + ", " + r.end() + "] of shard " + shardIndex
                        + " of stream " + stream);
            }
            List<NewShard> children = List.of(
                    new NewShard(new KeyRange(r.start(), newStartingKey.subtract(BigInteger.ONE)),
                            OptionalInt.of(shardIndex), OptionalInt.empty()),
                    new NewShard(new KeyRange(newStartingKey, r.end()), OptionalInt.of(shardIndex), OptionalInt.empty()));
            return apply(state, children, List.of(shardIndex), "split");
        }
    }

    @Override
    public StreamInfo mergeShards(String stream, int shardIndex, int adjacentShardIndex) {
        StreamState state = state(stream);
        synchronized (state) {
            checkLive(state);
            if (shardIndex == adjacentShardIndex) {
                throw new InvalidTopologyException("Cannot merge shard " + shardIndex + " of stream " + stream
                        + " with itself");
            }
            ShardInfo a = openShard(state, shardIndex);
            ShardInfo b = openShard(state, adjacentShardIndex);
            if (!a.keyRange().isAdjacentTo(b.keyRange())) {
                throw new InvalidTopologyException("Shards " + shardIndex + " and " + adjacentShardIndex + " of stream "
                        + stream + " are not adjacent");
            }
            List<NewShard> child = List.of(new NewShard(a.keyRange().union(b.keyRange()), OptionalInt.of(shardIndex),
                    OptionalInt.of(adjacentShardIndex)));
            return apply(state, child, List.of(shardIndex, adjacentShardIndex), "merge");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Validation: every shard to close exists, is open and is listed once; parents named by new
     * shards exist; at least one new shard. When shards are closed, the new shards must not overlap
     * and must cover exactly the key space of the closed ones (a split, merge or rescale). With
     * nothing to close (adding partitions, as Kafka's CreatePartitions does) key ranges are taken
     * as given.
     */
    @Override
    public StreamInfo reshard(String stream, List<NewShard> newShards, List<Integer> closeShardIndexes) {
        Objects.requireNonNull(newShards, "newShards");
        Objects.requireNonNull(closeShardIndexes, "closeShardIndexes");
        StreamState state = state(stream);
        synchronized (state) {
            checkLive(state);
            if (newShards.isEmpty()) {
                throw new InvalidTopologyException("A reshard of stream " + stream + " must open at least one shard");
            }
            Set<Integer> seen = new HashSet<>();
            List<KeyRange> closing = new ArrayList<>();
            for (int idx : closeShardIndexes) {
                if (!seen.add(idx)) {
                    throw new InvalidTopologyException("Shard " + idx + " of stream " + stream
                            + " is listed twice to close");
                }
                closing.add(openShard(state, idx).keyRange());
            }
            for (NewShard n : newShards) {
                for (OptionalInt p : List.of(n.parent(), n.adjacentParent())) {
                    if (p.isPresent()) {
                        shard(state, p.getAsInt());
                    }
                }
            }
            if (!closing.isEmpty()) {
                List<KeyRange> opening = newShards.stream().map(NewShard::keyRange)
                        .sorted(Comparator.comparing(KeyRange::start)).toList();
                for (int i = 1; i < opening.size(); i++) {
                    if (opening.get(i).start().compareTo(opening.get(i - 1).end()) <= 0) {
                        throw new InvalidTopologyException("New shards of stream " + stream + " overlap: "
                                + describe(opening.get(i - 1)) + " and " + describe(opening.get(i)));
                    }
                }
                if (!coalesce(opening).equals(coalesce(closing))) {
                    throw new InvalidTopologyException("New shards of stream " + stream
                            + " must cover exactly the key ranges of the shards they replace");
                }
            }
            return apply(state, newShards, closeShardIndexes, "reshard");
        }
    }

    private static String describe(KeyRange r) {
        return "[" + r.start() + ", " + r.end() + "]";
    }

    /** Sorted ranges with adjacent ones joined. */
    private static List<KeyRange> coalesce(List<KeyRange> ranges) {
        List<KeyRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(KeyRange::start));
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).isAdjacentTo(r)
                    && out.get(out.size() - 1).end().compareTo(r.start()) < 0) {
                out.set(out.size() - 1, out.get(out.size() - 1).union(r));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Closes {@code close} and opens {@code open} in one step: locks the closing shards' appends
     * (in index order), records their end offsets, creates the new logs, and commits by writing the
     * metadata. On failure nothing changes.
     */
    private StreamInfo apply(StreamState state, List<NewShard> open, List<Integer> close, String what) {
        StreamInfo cur = state.info;
        Instant now = config.clock().instant();
        List<Integer> closing = close.stream().sorted().toList();
        List<ShardLogHandle> locked = new ArrayList<>();
        List<ShardLogHandle> created = new ArrayList<>();
        boolean committed = false;
        try {
            List<ShardInfo> shards = new ArrayList<>(cur.shards());
            for (int idx : closing) {
                ShardLogHandle log = state.logs.get(idx);
                long end = log.beginClose();
                locked.add(log);
                ShardInfo s = shards.get(idx);
                shards.set(idx, new ShardInfo(s.index(), s.keyRange(), s.parent(), s.adjacentParent(), s.createdAt(),
                        now, end));
            }
            for (NewShard n : open) {
                int index = shards.size();
                shards.add(new ShardInfo(index, n.keyRange(), n.parent(), n.adjacentParent(), now, null, -1));
                try {
                    created.add(newShardLog(state, cur.name(), index, factorOf(state), cur.retention()));
                } catch (IOException e) {
                    throw new StorageException("cannot create shard " + index + " of stream " + cur.name(), e);
                }
            }
            StreamInfo next = new StreamInfo(cur.name(), cur.id(), cur.createdAt(), cur.retention(), shards,
                    cur.attributes(), cur.version() + 1);
            if (cluster != null) {
                // The new shards' replicas first: the stream metadata below is the commit point.
                state.logs.addAll(created);
                try {
                    persistReplicas(state);
                } catch (RuntimeException e) {
                    state.logs.removeAll(created);
                    throw e;
                }
            }
            persist(state, next);
            if (cluster == null) {
                state.logs.addAll(created);
            }
            state.info = next;
            committed = true;
            LOG.info("stream {} stream={} closedShards={} openedShards={} version={}", what, cur.name(), closing,
                    shards.subList(cur.shards().size(), shards.size()).stream().map(ShardInfo::index).toList(),
                    next.version());
            return next;
        } finally {
            for (ShardLogHandle log : locked) {
                log.endClose(committed);
            }
            if (!committed) {
                for (ShardLogHandle log : created) {
                    log.markDeleted();
                    state.logs.remove(log);
                    Path dir = shardDir(state.dir, log.shardIndex());
                    if (dir != null) {
                        try {
                            FileUtil.deleteRecursively(dir);
                        } catch (IOException e) {
                            LOG.warn("could not remove shard directory of failed {} dir={}", what, dir, e);
                        }
                    }
                }
            }
        }
    }

    private void persist(StreamState state, StreamInfo next) {
        if (state.dir == null) {
            return;
        }
        try {
            FileUtil.writeAtomically(state.dir.resolve(StoreFiles.STREAM_META_FILE), MetadataCodec.encodeStream(next),
                    sync);
        } catch (IOException e) {
            throw new StorageException("cannot write metadata of stream " + next.name() + ": " + e.getMessage(), e);
        }
    }

    private StreamState state(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        StreamState s = byName.get(name);
        if (s == null) {
            throw new StreamNotFoundException("Stream " + name + " not found");
        }
        return s;
    }

    private static void checkLive(StreamState state) {
        if (state.deleted) {
            throw new StreamNotFoundException("Stream " + state.info.name() + " not found");
        }
    }

    private static ShardInfo shard(StreamState state, int index) {
        return state.info.shard(index).orElseThrow(() -> new ShardNotFoundException("Shard " + index
                + " not found in stream " + state.info.name()));
    }

    private static ShardInfo openShard(StreamState state, int index) {
        ShardInfo s = shard(state, index);
        if (!s.isOpen()) {
            throw new InvalidTopologyException("Shard " + index + " of stream " + state.info.name() + " is closed");
        }
        return s;
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("the store is closed");
        }
    }

    // ---------------------------------------------------------------- logs, retention, lifecycle

    @Override
    public ShardLog log(String stream, int shardIndex) {
        StreamState state = state(stream);
        List<ShardLogHandle> logs = state.logs;
        if (shardIndex < 0 || shardIndex >= logs.size()) {
            throw new ShardNotFoundException("Shard " + shardIndex + " not found in stream " + stream);
        }
        return logs.get(shardIndex);
    }

    // ---------------------------------------------------------------- nodes

    @Override
    public List<NodeInfo> nodes() {
        return cluster == null ? List.of(new NodeInfo(0, true)) : cluster.nodes();
    }

    @Override
    public ReplicaState replicaState(String stream, int shardIndex) {
        ShardLog log = log(stream, shardIndex);
        if (log instanceof ReplicatedShardLog r) {
            return r.replicaState();
        }
        long end = log.endOffset();
        return new ReplicaState(0, 0, List.of(0), List.of(0), end, Map.of(0, end));
    }

    @Override
    public void stopNode(int nodeId) {
        Cluster c = replicatedCluster();
        synchronized (this) {
            checkOpen();
            c.check(nodeId);
            if (!c.isRunning(nodeId)) {
                return;
            }
            c.setRunning(nodeId, false);
            LOG.warn("node stopped node={}", nodeId);
            for (StreamState st : byName.values()) {
                for (ShardLogHandle h : st.logs) {
                    if (h instanceof ReplicatedShardLog r) {
                        r.nodeStopped(nodeId);
                    }
                }
            }
        }
    }

    @Override
    public void startNode(int nodeId) {
        Cluster c = replicatedCluster();
        synchronized (this) {
            checkOpen();
            c.check(nodeId);
            if (c.isRunning(nodeId)) {
                return;
            }
            c.setFaults(nodeId, c.faults(nodeId).diskFailing()
                    ? new NodeFaults(c.faults(nodeId).diskDelay(), false, c.faults(nodeId).replicationCut())
                    : c.faults(nodeId));
            c.setRunning(nodeId, true);
            LOG.info("node starting node={}", nodeId);
            for (StreamState st : byName.values()) {
                for (ShardLogHandle h : st.logs) {
                    if (h instanceof ReplicatedShardLog r) {
                        try {
                            r.nodeStarted(nodeId);
                        } catch (IOException e) {
                            throw new StorageException("node " + nodeId + " could not recover shard " + r.shardIndex()
                                    + " of stream " + r.stream() + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
        }
    }

    @Override
    public NodeFaults nodeFaults(int nodeId) {
        if (cluster == null) {
            return NodeFaults.NONE;
        }
        cluster.check(nodeId);
        return cluster.faults(nodeId);
    }

    @Override
    public void setNodeFaults(int nodeId, NodeFaults faults) {
        Objects.requireNonNull(faults, "faults");
        Cluster c = replicatedCluster();
        c.check(nodeId);
        c.setFaults(nodeId, faults);
        LOG.info("node faults set node={} faults={}", nodeId, faults);
        if (faults.diskFailing()) {
            stopNode(nodeId); // a failed log directory takes the node's replicas offline
            return;
        }
        for (StreamState st : byName.values()) {
            for (ShardLogHandle h : st.logs) {
                if (h instanceof ReplicatedShardLog r) {
                    r.resumeCopies();
                }
            }
        }
    }

    /**
     * Applies the in-sync rules now: followers past the lag bounds leave the in-sync sets. Runs
     * periodically on its own; tests call it after moving the clock.
     */
    public void checkReplicas() {
        for (StreamState st : byName.values()) {
            for (ShardLogHandle h : st.logs) {
                if (h instanceof ReplicatedShardLog r && !closed && !st.deleted) {
                    r.checkInSync();
                }
            }
        }
    }

    private Cluster replicatedCluster() {
        if (cluster == null) {
            throw new IllegalStateException("the store runs a single node; configure more nodes to use node controls");
        }
        return cluster;
    }

    @Override
    public void enforceRetention() {
        for (StreamState state : byName.values()) {
            for (ShardLogHandle log : state.logs) {
                if (closed || state.deleted) {
                    break;
                }
                try {
                    log.enforceRetention();
                } catch (StreamNotFoundException e) {
                    break; // deleted meanwhile
                }
            }
        }
    }

    @Override
    public void flush() {
        for (StreamState state : byName.values()) {
            for (ShardLogHandle log : state.logs) {
                log.flush();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // shutdown(), not shutdownNow(): interrupting a thread inside FileChannel.force closes the
        // channel (ClosedByInterruptException), and the final flush below would then fail.
        for (ScheduledExecutorService s : background) {
            s.shutdown();
        }
        for (ScheduledExecutorService s : background) {
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            StoreException failure = null;
            for (StreamState state : byName.values()) {
                synchronized (state) {
                    for (ShardLogHandle log : state.logs) {
                        try {
                            log.shutdown();
                        } catch (IOException e) {
                            LOG.error("could not close shard log cleanly stream={} shardId={}", log.stream(),
                                    log.shardIndex(), e);
                            if (failure == null) {
                                failure = new StorageException("could not close the store cleanly", e);
                            }
                        }
                    }
                }
            }
            if (root != null) {
                if (failure == null) {
                    try {
                        Path marker = root.resolve(StoreFiles.CLEAN_SHUTDOWN_FILE);
                        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE)) {
                            if (sync) {
                                ch.force(true);
                            }
                        }
                        if (sync) {
                            FileUtil.fsyncDirectory(root);
                        }
                    } catch (IOException e) {
                        failure = new StorageException("could not write the clean-shutdown marker", e);
                    }
                }
                releaseLock();
            }
            if (cluster != null) {
                cluster.close();
            }
            LOG.info("store closed dataDir={} clean={}", root == null ? "(memory)" : root, failure == null);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
