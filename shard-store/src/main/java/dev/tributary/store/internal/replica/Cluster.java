package dev.tributary.store.internal.replica;

import dev.tributary.store.api.InvalidTopologyException;
import dev.tributary.store.api.NodeFaults;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.StoreConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The broker nodes of a replicated store: which run, which faults they carry, and one replica
 * fetcher thread per node (a follower copies from its leader on the thread of the follower's node,
 * so a slow node slows only its own copies, as a slow broker does).
 *
 * <p>Thread-safety: thread-safe; node state is volatile, changes are made by the store under its
 * own lock.
 */
public final class Cluster {
    private final StoreConfig.Replication config;
    private final Clock clock;
    private final Node[] nodes;

    private static final class Node {
        final int id;
        volatile boolean running = true;
        volatile NodeFaults faults = NodeFaults.NONE;
        final ExecutorService fetcher;

        Node(int id) {
            this.id = id;
            this.fetcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tributary-replica-fetcher-" + id);
                t.setDaemon(true);
                return t;
            });
        }
    }

    public Cluster(StoreConfig.Replication config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.nodes = new Node[config.nodes()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Node(i);
        }
    }

    public StoreConfig.Replication config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    public int size() {
        return nodes.length;
    }

    public boolean isRunning(int node) {
        return nodes[node].running;
    }

    public NodeFaults faults(int node) {
        return nodes[node].faults;
    }

    public void setRunning(int node, boolean running) {
        nodes[node].running = running;
    }

    public void setFaults(int node, NodeFaults faults) {
        nodes[node].faults = faults;
    }

    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>(nodes.length);
        for (Node n : nodes) {
            out.add(new NodeInfo(n.id, n.running));
        }
        return out;
    }

    /** Checks that {@code node} exists. */
    public void check(int node) {
        if (node < 0 || node >= nodes.length) {
            throw new IllegalArgumentException("no node " + node + ": the store has nodes 0.." + (nodes.length - 1));
        }
    }

    /**
     * Replica nodes for a new shard: {@code factor} distinct nodes, starting at {@code shardIndex}
     * modulo the node count so leaders spread evenly (Kafka's round-robin assignment without racks);
     * running nodes first, stopped ones only to make up the factor (their replicas start offline).
     *
     * @throws InvalidTopologyException when the factor exceeds the nodes, or no node runs
     */
    public List<Integer> assign(int shardIndex, int factor) {
        if (factor > nodes.length) {
            throw new InvalidTopologyException("Replication factor " + factor + " is larger than the "
                    + nodes.length + " nodes of the store");
        }
        List<Integer> out = new ArrayList<>(factor);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < nodes.length && out.size() < factor; i++) {
                int n = Math.floorMod(shardIndex + i, nodes.length);
                if (nodes[n].running == (pass == 0) && !out.contains(n)) {
                    out.add(n);
                }
            }
        }
        if (!nodes[out.get(0)].running) {
            throw new InvalidTopologyException("No node of the store is running");
        }
        return out;
    }

    void submitFetch(int node, Runnable task) {
        try {
            nodes[node].fetcher.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the store is closing
        }
    }

    /** The injected slow-disk delay of {@code node}: the fault itself, so a real pause. */
    void diskDelay(int node) {
        long nanos = nodes[node].faults.diskDelay().toNanos();
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    public void close() {
        for (Node n : nodes) {
            n.fetcher.shutdown();
        }
        for (Node n : nodes) {
            try {
                n.fetcher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
