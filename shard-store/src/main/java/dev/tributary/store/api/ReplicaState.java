package dev.tributary.store.api;

import java.util.List;
import java.util.Map;

/**
 * Who holds one shard: its replicas' nodes, the leader, the in-sync set and how far each replica got.
 *
 * @param leader         node id of the leader, or -1 when no replica can lead (offline shard)
 * @param leaderEpoch    incremented at every leader change, from 0
 * @param replicas       node ids holding a copy, the preferred leader first
 * @param isr            node ids of the in-sync replicas (the leader among them)
 * @param highWatermark  readers see offsets below this; every in-sync replica holds them
 * @param logEndOffsets  node id to that replica's log end offset (stopped nodes: last known)
 */
public record ReplicaState(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                           long highWatermark, Map<Integer, Long> logEndOffsets) {
    public ReplicaState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        logEndOffsets = Map.copyOf(logEndOffsets);
    }
}
