package dev.tributary.store.internal.replica;

import dev.tributary.store.api.Acks;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.LeaderNotAvailableException;
import dev.tributary.store.api.NotEnoughReplicasException;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.ReplicationTimeoutException;
import dev.tributary.store.api.ShardClosedException;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.StorageException;
import dev.tributary.store.api.StoreException;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.internal.ShardLogHandle;
import dev.tributary.store.internal.log.DefaultShardLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard replicated on several nodes, Kafka's way: a leader takes appends, followers copy its
 * log on their nodes' fetcher threads, the in-sync replica set (ISR) holds the replicas that keep
 * up, and the high watermark (HW), the smallest end offset in the ISR, bounds what readers see.
 *
 * <ul>
 *   <li>Appends go to the leader. {@link Acks#ALL} waits until the HW passes the batch and is
 *       refused up front when the ISR is smaller than the minimum.</li>
 *   <li>A follower leaves the ISR when it has not caught up with the leader's end for the lag time
 *       (on the store clock) or is more than the record bound behind; it rejoins once it reaches
 *       the HW again.</li>
 *   <li>When the leader's node stops, the first running ISR member becomes leader with the next
 *       epoch (no unclean election unless configured). Every replica remembers when each epoch
 *       started ({@link EpochCache}); a returning replica truncates its log where its last epoch
 *       ends in the leader's history, then copies the rest.</li>
 * </ul>
 *
 * <p>Thread-safety: thread-safe. Leadership changes hold the write side of {@link #leadership};
 * appends and follower copies hold the read side, so no copy or append lands on a deposed leader.
 * Progress bookkeeping (ISR, HW, waiters) is guarded by this object's monitor.
 */
public final class ReplicatedShardLog implements ShardLogHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedShardLog.class);
    private static final int FETCH_RECORDS = 2000;
    private static final long FETCH_BYTES = 1 << 20;

    private final String stream;
    private final int shardIndex;
    private final Cluster cluster;
    private final ReplicaLogs logs;
    private final Replica[] replicas;
    private final ReentrantReadWriteLock leadership = new ReentrantReadWriteLock();

    // guarded by this
    private int leader;
    private int epoch;
    private final Set<Integer> isr = new LinkedHashSet<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<Waiter> acks = new ArrayList<>();

    private volatile long highWatermark;
    private volatile State snapshot;
    private volatile Duration retention;
    private volatile boolean closed;
    private volatile boolean deleted;
    private volatile boolean shutDown;

    private record Waiter(long offset, CompletableFuture<Long> future) {
    }

    /** One copy of the shard. */
    private static final class Replica {
        final int node;
        /** Null while the node is stopped. */
        volatile DefaultShardLog log;
        /** In memory only: the log kept while the node is stopped (there are no files to reopen). */
        DefaultShardLog parked;
        EpochCache epochs;
        /** Last known end offset, kept while stopped. Guarded by the shard's monitor. */
        long lastEnd;
        long lastCaughtUpMillis;
        boolean fetching;

        Replica(int node) {
            this.node = node;
        }

        long end() {
            DefaultShardLog l = log;
            return l == null ? lastEnd : l.endOffset();
        }
    }

    /** The persisted part of a shard's replication state. */
    public record State(List<Integer> replicas, int leader, int epoch, List<Integer> isr) {
        public State {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }
    }

    private ReplicatedShardLog(String stream, int shardIndex, Cluster cluster, ReplicaLogs logs, State state,
                               Duration retention, boolean closed) {
        this.stream = stream;
        this.shardIndex = shardIndex;
        this.cluster = cluster;
        this.logs = logs;
        this.replicas = new Replica[state.replicas().size()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica(state.replicas().get(i));
        }
        this.leader = state.leader();
        this.epoch = state.epoch();
        this.isr.addAll(state.isr());
        this.retention = retention;
        this.closed = closed;
        refreshSnapshotLocked();
    }

    /** A new shard on the given replica nodes (all running), the first one leading in epoch 0. */
    public static ReplicatedShardLog create(String stream, int shardIndex, Cluster cluster, ReplicaLogs logs,
                                            List<Integer> nodes, Duration retention) throws IOException {
        List<Integer> running = nodes.stream().filter(cluster::isRunning).toList();
        State state = new State(nodes, nodes.get(0), 0, running);
        ReplicatedShardLog s = new ReplicatedShardLog(stream, shardIndex, cluster, logs, state, retention, false);
        boolean sync = s.syncing();
        try {
            for (Replica r : s.replicas) {
                r.log = logs.create(r.node);
                r.log.setRetention(retention);
                r.epochs = EpochCache.load(logs.dir(r.node), sync);
                r.epochs.assign(0, 0);
                r.lastCaughtUpMillis = cluster.clock().millis();
                if (!cluster.isRunning(r.node)) {
                    // Created on a stopped node's disk, and offline like the rest of that node.
                    if (logs.dir(r.node) == null) {
                        r.parked = r.log;
                    } else {
                        r.log.shutdown();
                    }
                    r.log = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            s.markDeleted();
            throw e;
        }
        return s;
    }

    /**
     * Opens a shard recorded as {@code state}: recovers the replica logs of running nodes, then
     * reconciles them with the leader (a stopped or missing leader is replaced by election) and
     * starts the copies. The HW restarts at the smallest end offset of the ISR.
     */
    public static ReplicatedShardLog open(String stream, int shardIndex, Cluster cluster, ReplicaLogs logs,
                                          State state, Duration retention, boolean closed) throws IOException {
        ReplicatedShardLog s = new ReplicatedShardLog(stream, shardIndex, cluster, logs, state, retention, closed);
        boolean sync = s.syncing();
        long now = cluster.clock().millis();
        for (Replica r : s.replicas) {
            r.epochs = EpochCache.load(logs.dir(r.node), sync);
            r.lastCaughtUpMillis = now;
            if (cluster.isRunning(r.node)) {
                r.log = logs.open(r.node);
                r.log.setRetention(retention);
                r.lastEnd = r.log.endOffset();
            } else {
                s.isr.remove(r.node);
            }
        }
        s.leadership.writeLock().lock();
        try {
            synchronized (s) {
                Replica l = s.replica(s.leader);
                if (l == null || l.log == null) {
                    s.electLocked("open");
                } else {
                    for (Replica r : s.replicas) {
                        if (r != l && r.log != null) {
                            s.reconcileLocked(r, l);
                        }
                    }
                }
                long hw = Long.MAX_VALUE;
                for (int n : s.isr) {
                    hw = Math.min(hw, s.replica(n).end());
                }
                s.highWatermark = hw == Long.MAX_VALUE ? 0 : hw;
            }
        } finally {
            s.leadership.writeLock().unlock();
        }
        s.scheduleFetches();
        return s;
    }

    private boolean syncing() {
        return logs.sync();
    }

    private Replica replica(int node) {
        for (Replica r : replicas) {
            if (r.node == node) {
                return r;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- state

    /**
     * The persisted part of the state, as of the last change. Lock-free, so the store can collect
     * every shard's state while one of them is reporting a change.
     */
    public State state() {
        return snapshot;
    }

    private void refreshSnapshotLocked() {
        List<Integer> nodes = new ArrayList<>(replicas.length);
        for (Replica r : replicas) {
            nodes.add(r.node);
        }
        snapshot = new State(nodes, leader, epoch, new ArrayList<>(isr));
    }

    private void stateChangedLocked() {
        refreshSnapshotLocked();
        logs.stateChanged(this);
    }

    public synchronized ReplicaState replicaState() {
        List<Integer> nodes = new ArrayList<>(replicas.length);
        Map<Integer, Long> ends = new LinkedHashMap<>();
        for (Replica r : replicas) {
            nodes.add(r.node);
            ends.put(r.node, r.end());
        }
        return new ReplicaState(leader, epoch, nodes, new ArrayList<>(isr), highWatermark, ends);
    }

    /** Leader epoch history of the replica on {@code node}, for tests and the state endpoint. */
    public Map<Integer, Long> epochs(int node) {
        Replica r = replica(node);
        return r == null || r.epochs == null ? Map.of() : r.epochs.snapshot();
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
        return append(records, Acks.ALL);
    }

    @Override
    public AppendResult append(List<AppendRecord> records, Acks ackPolicy) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(ackPolicy, "acks");
        AppendResult result;
        CompletableFuture<Long> ack = null;
        leadership.readLock().lock();
        try {
            checkWritable();
            Replica l;
            synchronized (this) {
                l = leaderReplica();
                if (ackPolicy == Acks.ALL && isr.size() < cluster.config().minInsyncReplicas()) {
                    throw new NotEnoughReplicasException("shard " + shardIndex + " of stream " + stream + " has "
                            + isr.size() + " in-sync replicas, fewer than the minimum of "
                            + cluster.config().minInsyncReplicas());
                }
            }
            cluster.diskDelay(l.node);
            long before = l.log.endOffset();
            try {
                result = l.log.append(records);
            } catch (ShardClosedException e) {
                throw e;
            } catch (StorageException e) {
                if (!cluster.isRunning(l.node)) {
                    throw new LeaderNotAvailableException("the leader of shard " + shardIndex + " of stream "
                            + stream + " stopped");
                }
                throw e;
            }
            synchronized (this) {
                long now = cluster.clock().millis();
                for (Replica r : replicas) {
                    if (r != l && isr.contains(r.node) && r.end() >= before) {
                        r.lastCaughtUpMillis = now; // caught up until this very append
                    }
                }
                long target = result.firstOffset() + result.count();
                updateHighWatermarkLocked();
                if (ackPolicy == Acks.ALL && highWatermark < target) {
                    ack = new CompletableFuture<>();
                    acks.add(new Waiter(target, ack));
                }
                checkInSyncLocked(now);
            }
            scheduleFetches();
        } finally {
            leadership.readLock().unlock();
        }
        if (ack != null) {
            awaitAck(ack);
        }
        return result;
    }

    private void awaitAck(CompletableFuture<Long> ack) {
        try {
            ack.get(cluster.config().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ReplicationTimeoutException("the in-sync replicas of shard " + shardIndex + " of stream "
                    + stream + " did not acknowledge within " + cluster.config().ackTimeout());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StorageException("append failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for replicas", e);
        }
    }

    /** The running leader; throws when there is none. Caller holds this monitor. */
    private Replica leaderReplica() {
        Replica l = leader < 0 ? null : replica(leader);
        if (l == null || l.log == null) {
            throw new LeaderNotAvailableException("shard " + shardIndex + " of stream " + stream
                    + " has no available leader");
        }
        return l;
    }

    private void checkWritable() {
        checkReadable();
        if (closed) {
            throw new ShardClosedException("shard " + shardIndex + " of stream " + stream + " is closed");
        }
    }

    private void checkReadable() {
        if (deleted) {
            throw new StreamNotFoundException("Stream " + stream + " not found");
        }
        if (shutDown) {
            throw new StorageException("the store is closed");
        }
    }

    // ---------------------------------------------------------------- replication

    /** Restarts copies that stopped (a replication cut was lifted). */
    public void resumeCopies() {
        scheduleFetches();
    }

    private void scheduleFetches() {
        List<Replica> start = new ArrayList<>();
        synchronized (this) {
            if (deleted || shutDown || leader < 0) {
                return;
            }
            for (Replica r : replicas) {
                if (r.node != leader && r.log != null && !r.fetching && cluster.isRunning(r.node)
                        && !cluster.faults(r.node).replicationCut()) {
                    r.fetching = true;
                    start.add(r);
                }
            }
        }
        for (Replica r : start) {
            cluster.submitFetch(r.node, () -> fetch(r));
        }
    }

    /** Copies from the leader until caught up. Runs on the follower node's fetcher thread. */
    private void fetch(Replica f) {
        try {
            while (fetchOnce(f)) {
                // keep copying
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                f.fetching = false;
            }
            if (!deleted && !shutDown) {
                LOG.warn("replica copy failed stream={} shardId={} node={}", stream, shardIndex, f.node, e);
            }
        }
    }

    /** One chunk; false when there is nothing more to copy (and the fetching flag is cleared). */
    private boolean fetchOnce(Replica f) {
        leadership.readLock().lock();
        try {
            Replica l;
            synchronized (this) {
                if (deleted || shutDown || leader < 0 || leader == f.node || f.log == null
                        || !cluster.isRunning(f.node) || cluster.faults(f.node).replicationCut()) {
                    f.fetching = false;
                    return false;
                }
                l = replica(leader);
                if (l.log == null) {
                    f.fetching = false;
                    return false;
                }
            }
            DefaultShardLog from = l.log;
            DefaultShardLog to = f.log;
            long position = to.endOffset();
            long leaderEnd = from.endOffset();
            long leaderStart = from.startOffset();
            if (position < leaderStart) {
                to.resetTo(leaderStart);
                f.epochs.truncateFrom(0);
                position = leaderStart;
            }
            if (position >= leaderEnd) {
                f.epochs.copyFrom(l.epochs, position);
                synchronized (this) {
                    progressLocked(f, position, leaderEnd);
                    if (from.endOffset() <= position) {
                        f.fetching = false;
                        return false;
                    }
                }
                return true;
            }
            List<StoredRecord> chunk;
            try {
                chunk = from.read(position, FETCH_RECORDS, FETCH_BYTES);
            } catch (OffsetOutOfRangeException e) {
                return true; // retention moved the leader's start meanwhile: go round again
            }
            if (chunk.isEmpty()) {
                return true;
            }
            cluster.diskDelay(f.node);
            List<AppendRecord> copy = new ArrayList<>(chunk.size());
            for (StoredRecord r : chunk) {
                copy.add(new AppendRecord(r.timestampMillis(), r.key(), r.value(), r.flags()));
            }
            to.append(copy);
            long end = to.endOffset();
            f.epochs.copyFrom(l.epochs, end);
            synchronized (this) {
                progressLocked(f, end, leaderEnd);
            }
            return true;
        } finally {
            leadership.readLock().unlock();
        }
    }

    /** A follower reached {@code end}; the leader's end was {@code leaderEnd} when the copy began. */
    private void progressLocked(Replica f, long end, long leaderEnd) {
        f.lastEnd = end;
        long now = cluster.clock().millis();
        if (end >= leaderEnd) {
            f.lastCaughtUpMillis = now;
        }
        if (!isr.contains(f.node) && end >= highWatermark && f.epochs.latestEpoch() == epoch) {
            isr.add(f.node);
            LOG.info("replica rejoined the in-sync set stream={} shardId={} node={} isr={}", stream, shardIndex,
                    f.node, isr);
            stateChangedLocked();
        }
        updateHighWatermarkLocked();
    }

    private void updateHighWatermarkLocked() {
        if (leader < 0) {
            return;
        }
        long hw = Long.MAX_VALUE;
        for (int n : isr) {
            hw = Math.min(hw, replica(n).end());
        }
        if (hw == Long.MAX_VALUE || hw <= highWatermark) {
            return;
        }
        highWatermark = hw;
        long reached = hw;
        completeLocked(waiters, w -> reached > w.offset);
        completeLocked(acks, w -> reached >= w.offset);
    }

    private void completeLocked(List<Waiter> list, java.util.function.Predicate<Waiter> ready) {
        if (list.isEmpty()) {
            return;
        }
        long hw = highWatermark;
        list.removeIf(w -> {
            if (w.future.isDone()) {
                return true;
            }
            if (ready.test(w)) {
                w.future.complete(hw);
                return true;
            }
            return false;
        });
    }

    /**
     * Removes followers that fell behind from the ISR: not caught up for the lag time, or more
     * records behind than the bound. Called after appends and periodically by the store.
     */
    public void checkInSync() {
        synchronized (this) {
            checkInSyncLocked(cluster.clock().millis());
        }
    }

    private void checkInSyncLocked(long now) {
        if (leader < 0 || deleted || shutDown) {
            return;
        }
        Replica l = replica(leader);
        if (l.log == null) {
            return;
        }
        long leaderEnd = l.log.endOffset();
        long maxRecords = cluster.config().replicaLagMaxRecords();
        long lagMillis = cluster.config().replicaLagTime().toMillis();
        boolean changed = false;
        for (Replica r : replicas) {
            if (r == l || !isr.contains(r.node)) {
                continue;
            }
            long behind = leaderEnd - r.end();
            boolean slow = behind > 0 && now - r.lastCaughtUpMillis > lagMillis;
            boolean far = maxRecords > 0 && behind > maxRecords;
            if (slow || far || r.log == null) {
                isr.remove(r.node);
                changed = true;
                LOG.info("replica left the in-sync set stream={} shardId={} node={} behind={} reason={} isr={}",
                        stream, shardIndex, r.node, behind, r.log == null ? "stopped" : slow ? "lag-time" : "lag-records",
                        isr);
            }
        }
        if (changed) {
            stateChangedLocked();
            updateHighWatermarkLocked();
        }
    }

    // ---------------------------------------------------------------- node changes

    /** The node stopped: its replica goes offline; a new leader is elected if it led. */
    public void nodeStopped(int node) {
        Replica r = replica(node);
        if (r == null) {
            return;
        }
        DefaultShardLog gone;
        leadership.writeLock().lock();
        try {
            synchronized (this) {
                gone = r.log;
                if (gone == null) {
                    return;
                }
                r.lastEnd = gone.endOffset();
                r.log = null;
                r.fetching = false;
                // The last in-sync replica stays in the set (as in Kafka), so the shard can come back
                // with it when its node returns instead of needing an unclean election.
                boolean changed = isr.size() > 1 && isr.remove(node);
                if (leader == node) {
                    electLocked("leader node " + node + " stopped");
                } else if (changed) {
                    stateChangedLocked();
                    updateHighWatermarkLocked();
                }
            }
        } finally {
            leadership.writeLock().unlock();
        }
        if (logs.dir(node) == null) {
            r.parked = gone;
        } else {
            try {
                gone.shutdown();
            } catch (IOException e) {
                LOG.warn("could not close replica log stream={} shardId={} node={}", stream, shardIndex, node, e);
            }
        }
    }

    /** The node started: its replica recovers, reconciles with the leader and copies what it lacks. */
    public void nodeStarted(int node) throws IOException {
        Replica r = replica(node);
        if (r == null || r.log != null || deleted || shutDown) {
            return;
        }
        DefaultShardLog log;
        if (logs.dir(node) == null) {
            log = r.parked;
            r.parked = null;
        } else {
            log = logs.open(node);
            log.setRetention(retention);
        }
        leadership.writeLock().lock();
        try {
            synchronized (this) {
                r.log = log;
                r.lastEnd = log.endOffset();
                r.lastCaughtUpMillis = cluster.clock().millis();
                if (leader < 0) {
                    electLocked("node " + node + " started");
                } else {
                    reconcileLocked(r, replica(leader));
                }
            }
        } finally {
            leadership.writeLock().unlock();
        }
        scheduleFetches();
    }

    /**
     * Picks a new leader among running ISR members, in replica order (unclean: any running replica
     * when none is in sync), increments the epoch, fails waiting acknowledgements and reconciles
     * the followers. Caller holds the write lock and this monitor.
     */
    private void electLocked(String why) {
        int previous = leader;
        Replica next = null;
        for (Replica r : replicas) {
            if (r.log != null && isr.contains(r.node)) {
                next = r;
                break;
            }
        }
        boolean unclean = false;
        if (next == null && cluster.config().uncleanLeaderElection()) {
            for (Replica r : replicas) {
                if (r.log != null) {
                    next = r;
                    unclean = true;
                    break;
                }
            }
        }
        failAcksLocked();
        if (next == null) {
            leader = -1;
            LOG.warn("shard has no leader stream={} shardId={} previousLeader={} reason=\"{}\"", stream, shardIndex,
                    previous, why);
            stateChangedLocked();
            return;
        }
        leader = next.node;
        epoch++;
        next.epochs.assign(epoch, next.log.endOffset());
        if (unclean) {
            isr.clear();
            isr.add(next.node);
            highWatermark = Math.min(highWatermark, next.log.endOffset());
        }
        for (Replica r : replicas) {
            if (r != next && r.log != null) {
                reconcileLocked(r, next);
            }
        }
        LOG.info("leader elected stream={} shardId={} leader={} epoch={} previousLeader={} isr={} unclean={}"
                + " reason=\"{}\"", stream, shardIndex, leader, epoch, previous, isr, unclean, why);
        stateChangedLocked();
        updateHighWatermarkLocked();
    }

    /** Truncates follower {@code f} where its history leaves the leader's. */
    private void reconcileLocked(Replica f, Replica l) {
        if (f.log.isClosed()) {
            f.log.reopenForCopies(); // it led when the shard closed; as a follower it may need to copy
        }
        int last = f.epochs.latestEpoch();
        long leaderEnd = l.log.endOffset();
        long divergence = last < 0 ? Math.min(f.log.endOffset(), leaderEnd)
                : l.epochs.endOffsetFor(last, leaderEnd);
        long end = f.log.endOffset();
        if (divergence < end) {
            long truncated = f.log.truncateTo(divergence);
            f.epochs.truncateFrom(truncated);
            LOG.info("replica truncated to the leader's log stream={} shardId={} node={} from={} to={} leader={}"
                    + " epoch={}", stream, shardIndex, f.node, end, truncated, l.node, epoch);
        }
        f.lastEnd = f.log.endOffset();
        f.fetching = false;
    }

    private void failAcksLocked() {
        for (Waiter w : acks) {
            w.future.completeExceptionally(new LeaderNotAvailableException("the leader of shard " + shardIndex
                    + " of stream " + stream + " changed before the append was acknowledged"));
        }
        acks.clear();
    }

    // ---------------------------------------------------------------- reading

    private DefaultShardLog readLog() {
        checkReadable();
        synchronized (this) {
            return leaderReplica().log;
        }
    }

    @Override
    public long startOffset() {
        return readLog().startOffset();
    }

    @Override
    public long endOffset() {
        return highWatermark;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public List<StoredRecord> read(long offset, int maxRecords, long maxBytes) {
        long hw = highWatermark;
        if (offset > hw) {
            throw new OffsetOutOfRangeException("offset " + offset + " is outside [" + startOffset() + ", " + hw
                    + "] of shard " + shardIndex + " of stream " + stream);
        }
        for (int attempt = 0; ; attempt++) {
            DefaultShardLog l = readLog();
            try {
                List<StoredRecord> out = l.read(offset, maxRecords, maxBytes);
                return capped(out, hw);
            } catch (StorageException e) {
                if (attempt > 0 || shutDown) {
                    throw e;
                }
                // the leader stopped under us: read from the new one
            }
        }
    }

    private static List<StoredRecord> capped(List<StoredRecord> out, long hw) {
        if (out.isEmpty() || out.get(out.size() - 1).offset() < hw) {
            return out;
        }
        List<StoredRecord> visible = new ArrayList<>(out.size());
        for (StoredRecord r : out) {
            if (r.offset() < hw) {
                visible.add(r);
            }
        }
        return visible;
    }

    @Override
    public long offsetForTimestamp(long timestampMillis) {
        return Math.min(readLog().offsetForTimestamp(timestampMillis), highWatermark);
    }

    @Override
    public long lastTimestamp() {
        return readLog().lastTimestamp();
    }

    @Override
    public CompletableFuture<Long> awaitAppend(long offset) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (this) {
            if (highWatermark > offset || closed || deleted || shutDown) {
                f.complete(highWatermark);
            } else {
                if (waiters.size() >= 64) {
                    waiters.removeIf(w -> w.future.isDone());
                }
                waiters.add(new Waiter(offset, f));
            }
        }
        return f;
    }

    @Override
    public ShardCursor cursor(long offset) {
        long hw = highWatermark;
        long start = startOffset();
        if (offset > hw || offset < 0) {
            throw new OffsetOutOfRangeException("offset " + offset + " is outside [" + start + ", " + hw
                    + "] of shard " + shardIndex + " of stream " + stream);
        }
        return new Cursor(Math.max(offset, start));
    }

    private final class Cursor implements ShardCursor {
        private long position;
        private boolean done;

        Cursor(long position) {
            this.position = position;
        }

        @Override
        public List<StoredRecord> poll(int maxRecords, long maxBytes) {
            if (done) {
                throw new IllegalStateException("cursor is closed");
            }
            position = Math.max(position, startOffset());
            List<StoredRecord> out = read(position, maxRecords, maxBytes);
            if (!out.isEmpty()) {
                position = out.get(out.size() - 1).offset() + 1;
            }
            return out;
        }

        @Override
        public long position() {
            try {
                position = Math.max(position, startOffset());
            } catch (StoreException e) {
                // leave it
            }
            return position;
        }

        @Override
        public boolean isAtClosedEnd() {
            if (!closed) {
                return false;
            }
            Replica l;
            synchronized (ReplicatedShardLog.this) {
                l = leader < 0 ? null : replica(leader);
            }
            return l != null && l.log != null && position >= highWatermark && highWatermark >= l.log.endOffset();
        }

        @Override
        public void close() {
            done = true;
        }
    }

    // ---------------------------------------------------------------- store hooks

    @Override
    public void setRetention(Duration newRetention) {
        this.retention = newRetention;
        for (Replica r : replicas) {
            DefaultShardLog l = r.log;
            if (l != null) {
                l.setRetention(newRetention);
            }
        }
    }

    @Override
    public long beginClose() {
        leadership.writeLock().lock();
        try {
            checkWritable();
            DefaultShardLog l;
            synchronized (this) {
                l = leaderReplica().log;
            }
            return l.beginClose();
        } catch (RuntimeException e) {
            leadership.writeLock().unlock();
            throw e;
        }
    }

    @Override
    public void endClose(boolean commit) {
        try {
            DefaultShardLog l;
            synchronized (this) {
                l = replica(leader).log;
            }
            if (commit) {
                closed = true;
            }
            l.endClose(commit);
        } finally {
            leadership.writeLock().unlock();
        }
        if (commit) {
            synchronized (this) {
                completeLocked(waiters, w -> true);
            }
        }
    }

    @Override
    public void enforceRetention() {
        for (Replica r : replicas) {
            DefaultShardLog l = r.log;
            if (l != null) {
                l.enforceRetention();
            }
        }
    }

    @Override
    public void flush() {
        for (Replica r : replicas) {
            DefaultShardLog l = r.log;
            if (l != null) {
                try {
                    l.flush();
                } catch (StorageException e) {
                    if (cluster.isRunning(r.node)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public void shutdown() throws IOException {
        List<DefaultShardLog> open = new ArrayList<>();
        synchronized (this) {
            shutDown = true;
            failAcksLocked();
            completeLocked(waiters, w -> true);
            for (Replica r : replicas) {
                if (r.log != null) {
                    open.add(r.log);
                }
            }
        }
        IOException failure = null;
        for (DefaultShardLog l : open) {
            try {
                l.shutdown();
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
    }

    @Override
    public void markDeleted() {
        synchronized (this) {
            deleted = true;
            failAcksLocked();
            completeLocked(waiters, w -> true);
        }
        for (Replica r : replicas) {
            for (DefaultShardLog l : new DefaultShardLog[] {r.log, r.parked}) {
                if (l != null) {
                    l.markDeleted();
                }
            }
        }
    }
}
