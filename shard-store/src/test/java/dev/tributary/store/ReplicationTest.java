package dev.tributary.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.store.api.Acks;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.LeaderNotAvailableException;
import dev.tributary.store.api.NodeFaults;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.NotEnoughReplicasException;
import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.ReplicationTimeoutException;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamSpec;
import dev.tributary.store.internal.DefaultShardStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replication: placement, ISR, high watermark, acks, failover, divergence, restart. */
class ReplicationTest {
    private static final Duration LAG = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private ShardStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private ShardStore open(StoreMode mode, StoreConfig.Replication replication) {
        store = ShardStores.open(mode.config(tmp, clock).withReplication(replication));
        return store;
    }

    private static StoreConfig.Replication r3(int minIsr) {
        return StoreConfig.Replication.of(3, 3, minIsr).withLag(LAG, 0).withAckTimeout(Duration.ofSeconds(20));
    }

    private static List<AppendRecord> records(String prefix, int n) {
        List<AppendRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new AppendRecord(1_700_000_000_000L, "k".getBytes(StandardCharsets.UTF_8),
                    (prefix + i).getBytes(StandardCharsets.UTF_8), 0));
        }
        return out;
    }

    private static List<String> values(ShardLog log) {
        List<String> out = new ArrayList<>();
        for (StoredRecord r : log.read(log.startOffset(), 10_000, Long.MAX_VALUE)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Waits (bounded) for replication, which runs on the fetcher threads. */
    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void allCaughtUp(String stream, int shard, long end) {
        eventually(() -> {
            ReplicaState s = store.replicaState(stream, shard);
            return s.isr().size() == s.replicas().size() && s.highWatermark() == end
                    && s.logEndOffsets().values().stream().allMatch(e -> e == end);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void acksAllReplicatesToEveryReplicaAndSpreadsLeaders(StoreMode mode) {
        open(mode, r3(2));
        store.createStream(new StreamSpec("s", 3, Duration.ofDays(1), Map.of()));
        assertThat(store.nodes()).containsExactly(new NodeInfo(0, true), new NodeInfo(1, true), new NodeInfo(2, true));
        for (int shard = 0; shard < 3; shard++) {
            ReplicaState st = store.replicaState("s", shard);
            assertThat(st.leader()).isEqualTo(shard);
            assertThat(st.replicas()).hasSize(3).startsWith(shard);
            assertThat(st.isr()).containsExactlyInAnyOrderElementsOf(st.replicas());
            assertThat(st.leaderEpoch()).isZero();
        }
        ShardLog log = store.log("s", 1);
        assertThat(log.append(records("a", 5)).firstOffset()).isZero();
        // ALL returned: every in-sync replica has the batch, so the high watermark is past it.
        ReplicaState st = store.replicaState("s", 1);
        assertThat(st.highWatermark()).isEqualTo(5);
        assertThat(st.logEndOffsets()).containsOnly(Map.entry(0, 5L), Map.entry(1, 5L), Map.entry(2, 5L));
        assertThat(values(log)).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(log.endOffset()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void leaderFailoverKeepsAcknowledgedRecordsAndTheOldLeaderCatchesUp(StoreMode mode) {
        open(mode, r3(2));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        ShardLog log = store.log("s", 0);
        log.append(records("a", 10));
        store.stopNode(0);
        ReplicaState st = store.replicaState("s", 0);
        assertThat(st.leader()).isEqualTo(1);
        assertThat(st.leaderEpoch()).isEqualTo(1);
        assertThat(st.isr()).containsExactlyInAnyOrder(1, 2);
        assertThat(values(log)).hasSize(10);
        log.append(records("b", 5));
        assertThat(log.endOffset()).isEqualTo(15);
        store.startNode(0);
        allCaughtUp("s", 0, 15);
        assertThat(store.replicaState("s", 0).leader()).isEqualTo(1);
        // The returning replica now leads after the next failover, with every record.
        store.stopNode(1);
        store.stopNode(2);
        assertThat(store.replicaState("s", 0).leader()).isZero();
        assertThat(values(log)).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9",
                "b0", "b1", "b2", "b3", "b4");
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void unreplicatedRecordsOfAFailedLeaderAreNeverVisibleAndItsLogIsTruncated(StoreMode mode) {
        open(mode, r3(1));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        ShardLog log = store.log("s", 0);
        log.append(records("a", 4));
        store.setNodeFaults(1, new NodeFaults(Duration.ZERO, false, true));
        store.setNodeFaults(2, new NodeFaults(Duration.ZERO, false, true));
        log.append(records("x", 3), Acks.LEADER); // only on the leader: above the high watermark
        ReplicaState st = store.replicaState("s", 0);
        assertThat(st.logEndOffsets().get(0)).isEqualTo(7);
        assertThat(st.highWatermark()).isEqualTo(4);
        assertThat(log.endOffset()).isEqualTo(4);
        assertThat(values(log)).containsExactly("a0", "a1", "a2", "a3");
        store.stopNode(0);
        store.setNodeFaults(1, NodeFaults.NONE);
        store.setNodeFaults(2, NodeFaults.NONE);
        assertThat(store.replicaState("s", 0).leader()).isEqualTo(1);
        log.append(records("b", 2));
        store.startNode(0);
        allCaughtUp("s", 0, 6);
        store.stopNode(1);
        store.stopNode(2);
        // Node 0 leads again: its own x records were cut away where its epoch 0 ended on the leader.
        assertThat(store.replicaState("s", 0).leader()).isZero();
        assertThat(values(log)).containsExactly("a0", "a1", "a2", "a3", "b0", "b1");
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void laggingFollowersLeaveTheIsrAndAcksAllIsRefusedBelowTheMinimum(StoreMode mode) {
        open(mode, r3(2));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        ShardLog log = store.log("s", 0);
        log.append(records("a", 2));
        store.setNodeFaults(1, new NodeFaults(Duration.ZERO, false, true));
        store.setNodeFaults(2, new NodeFaults(Duration.ZERO, false, true));
        log.append(records("x", 1), Acks.LEADER);
        clock.advance(LAG.plusMillis(1));
        ((DefaultShardStore) store).checkReplicas();
        ReplicaState st = store.replicaState("s", 0);
        assertThat(st.isr()).containsExactly(0);
        assertThat(st.highWatermark()).isEqualTo(3); // the ISR is the leader alone now
        assertThatThrownBy(() -> log.append(records("y", 1)))
                .isInstanceOf(NotEnoughReplicasException.class)
                .hasMessage("shard 0 of stream s has 1 in-sync replicas, fewer than the minimum of 2");
        assertThat(store.replicaState("s", 0).logEndOffsets().get(0)).isEqualTo(3); // nothing written
        assertThat(values(log)).containsExactly("a0", "a1", "x0");
        store.setNodeFaults(1, NodeFaults.NONE);
        eventually(() -> store.replicaState("s", 0).isr().size() == 2);
        assertThat(log.append(records("z", 1)).firstOffset()).isEqualTo(3);
    }

    @Test
    void aCutFollowerStillInSyncTimesTheAppendOut() {
        open(StoreMode.MEMORY, StoreConfig.Replication.of(2, 2, 2).withLag(LAG, 0)
                .withAckTimeout(Duration.ofMillis(200)));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        store.setNodeFaults(1, new NodeFaults(Duration.ZERO, false, true));
        assertThatThrownBy(() -> store.log("s", 0).append(records("a", 1)))
                .isInstanceOf(ReplicationTimeoutException.class);
        assertThat(store.log("s", 0).endOffset()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void withEveryInSyncNodeStoppedTheShardIsOfflineUntilOneReturns(StoreMode mode) {
        open(mode, StoreConfig.Replication.of(2, 2, 1).withLag(LAG, 0));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        ShardLog log = store.log("s", 0);
        log.append(records("a", 3));
        store.stopNode(1);
        store.stopNode(0);
        assertThat(store.replicaState("s", 0).leader()).isEqualTo(-1);
        assertThatThrownBy(() -> log.append(records("b", 1))).isInstanceOf(LeaderNotAvailableException.class);
        assertThatThrownBy(() -> log.read(0, 10, 1000)).isInstanceOf(LeaderNotAvailableException.class);
        store.startNode(0);
        assertThat(store.replicaState("s", 0).leader()).isZero();
        assertThat(values(log)).containsExactly("a0", "a1", "a2");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void onlyAnUncleanElectionLetsAnOutOfSyncReplicaLeadAndItsMissingRecordsAreGone(boolean unclean) {
        open(StoreMode.MEMORY, StoreConfig.Replication.of(2, 2, 1).withLag(LAG, 0).withUncleanLeaderElection(unclean));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        ShardLog log = store.log("s", 0);
        log.append(records("a", 2));
        store.setNodeFaults(1, new NodeFaults(Duration.ZERO, false, true));
        log.append(records("x", 1), Acks.LEADER);
        clock.advance(LAG.plusMillis(1));
        ((DefaultShardStore) store).checkReplicas();
        assertThat(store.replicaState("s", 0).isr()).containsExactly(0);
        store.stopNode(0);
        if (unclean) {
            ReplicaState st = store.replicaState("s", 0);
            assertThat(st.leader()).isEqualTo(1);
            assertThat(st.isr()).containsExactly(1);
            assertThat(values(log)).containsExactly("a0", "a1"); // x0 was only on node 0
        } else {
            assertThat(store.replicaState("s", 0).leader()).isEqualTo(-1);
            assertThatThrownBy(() -> log.read(0, 10, 1000)).isInstanceOf(LeaderNotAvailableException.class);
        }
    }

    @Test
    void aDiskFailureTakesTheNodeOfflineAndMovesLeadership() {
        open(StoreMode.FILES, r3(2));
        store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of()));
        store.log("s", 0).append(records("a", 1));
        store.setNodeFaults(0, new NodeFaults(Duration.ZERO, true, false));
        assertThat(store.nodes().get(0).running()).isFalse();
        assertThat(store.replicaState("s", 0).leader()).isEqualTo(1);
        assertThat(values(store.log("s", 0))).containsExactly("a0");
    }

    @Test
    void replicationStateAndDataSurviveARestart() {
        open(StoreMode.FILES, r3(2));
        store.createStream(new StreamSpec("s", 2, Duration.ofDays(1), Map.of()));
        store.log("s", 0).append(records("a", 3));
        store.stopNode(0);
        store.log("s", 0).append(records("b", 2));
        store.splitShard("s", 1, java.math.BigInteger.TWO.pow(127).add(java.math.BigInteger.TEN));
        store.log("s", 3).append(records("c", 1));
        store.close();
        store = null;
        open(StoreMode.FILES, r3(2));
        ReplicaState st = store.replicaState("s", 0);
        assertThat(st.leader()).isEqualTo(1);
        assertThat(st.leaderEpoch()).isEqualTo(1);
        assertThat(values(store.log("s", 0))).containsExactly("a0", "a1", "a2", "b0", "b1");
        allCaughtUp("s", 0, 5); // node 0 runs again after the restart and copies b0, b1
        assertThat(store.replicaState("s", 3).replicas()).hasSize(3);
        assertThat(values(store.log("s", 3))).containsExactly("c0");
        assertThat(store.log("s", 1).isClosed()).isTrue();
    }

    /**
     * Regression: a follower that rejoined the in-sync set while the store was still opening the
     * stream's shards wrote a replicas.meta without the shards not yet open, and the next open read
     * them back as single-copy shards on node 0.
     */
    @Test
    void replicaPlacementSurvivesRepeatedRestartsWithFollowersCatchingUpDuringOpen() {
        open(StoreMode.FILES, r3(2));
        store.createStream(new StreamSpec("s", 3, Duration.ofDays(1), Map.of()));
        for (int round = 0; round < 5; round++) {
            store.stopNode(round % 3);
            for (int shard = 0; shard < 3; shard++) {
                store.log("s", shard).append(records("r" + round, 20));
            }
            store.close();
            store = null;
            open(StoreMode.FILES, r3(2));
            for (int shard = 0; shard < 3; shard++) {
                allCaughtUp("s", shard, 20L * (round + 1));
                assertThat(store.replicaState("s", shard).replicas()).as("round %d shard %d", round, shard)
                        .hasSize(3);
            }
        }
        java.nio.file.Path meta = tmp.resolve("streams").resolve("1").resolve("replicas.meta");
        assertThat(meta).exists();
    }

    @Test
    void aSingleNodeStoreRefusesNodeControlsAndReplicationFactorsAboveOne() {
        open(StoreMode.MEMORY, StoreConfig.Replication.NONE);
        assertThatThrownBy(() -> store.stopNode(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.createStream(new StreamSpec("s", 1, Duration.ofDays(1), Map.of(), 2)))
                .hasMessage("Replication factor 2 is larger than the 1 node of the store");
    }
}
