package dev.tributary.emulator.kafka;

import dev.tributary.emulator.config.KafkaConfig;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.ShardStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of the emulator: one {@link KafkaBroker} per store node, all over the one
 * {@link ShardStore} the Kinesis API uses. Broker {@code n} is store node {@code n}; it listens on
 * {@code --kafka-port + n} (or a free port), and Metadata names every broker with its own address
 * so clients route each partition to its leader's listener.
 *
 * <p>Thread-safe. Close it before the store.
 */
public final class KafkaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    /** One broker's address as clients see it. */
    public record BrokerAddress(int nodeId, String host, int port) {
    }

    private final ShardStore store;
    private final KafkaApis apis;
    private final List<KafkaBroker> brokers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every broker's address, fixed once bound, kept while a broker is stopped. */
    private final java.util.Map<Integer, BrokerAddress> addresses = new java.util.concurrent.ConcurrentSkipListMap<>();
    private String bindHost;
    /** Brokers stopped by MSK RebootBroker (a single-node store cannot stop its node). */
    private final java.util.Set<Integer> rebooting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService reconciler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kafka-broker-reconciler");
                t.setDaemon(true);
                return t;
            });
    private String advertisedHost;

    private KafkaServer(ShardStore store, Clock clock, KafkaFaults faults, dev.tributary.emulator.metrics.Metrics metrics) {
        this.store = store;
        this.apis = new KafkaApis(this, new KafkaTopics(store), clock, faults, metrics);
    }

    /**
     * Starts a listener per store node.
     *
     * @throws UncheckedIOException when a port cannot be bound
     */
    public static KafkaServer start(KafkaConfig config, String bindHost, ShardStore store, Clock clock) {
        return start(config, bindHost, store, clock, new KafkaFaults());
    }

    /** As above, answering the injected {@code faults} (the test-control API's registry). */
    public static KafkaServer start(KafkaConfig config, String bindHost, ShardStore store, Clock clock, KafkaFaults faults) {
        return start(config, bindHost, store, clock, faults, new dev.tributary.emulator.metrics.Metrics());
    }

    /** As above, counting requests and records in {@code metrics} (service {@code kafka}, streams {@code kafka/<topic>}). */
    public static KafkaServer start(KafkaConfig config, String bindHost, ShardStore store, Clock clock, KafkaFaults faults,
                                    dev.tributary.emulator.metrics.Metrics metrics) {
        KafkaServer server = new KafkaServer(store, clock, faults, metrics);
        server.bindHost = bindHost;
        server.advertisedHost = config.advertisedHost();
        try {
            for (NodeInfo node : store.nodes()) {
                int port = config.port() == 0 ? 0 : config.port() + node.id();
                KafkaBroker broker = new KafkaBroker(node.id(), bindHost, port, config.advertisedHost(), server.apis);
                server.brokers.add(broker);
                server.addresses.put(node.id(), new BrokerAddress(node.id(), broker.host(), broker.port()));
            }
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot listen for Kafka on " + bindHost + ":" + config.port()
                    + " (--kafka-port; -1 turns Kafka off)", e);
        }
        server.apis.groups().startExpiry();
        if (store.nodes().size() > 1) {
            server.reconciler.scheduleWithFixedDelay(() -> {
                try {
                    server.reconcile();
                } catch (RuntimeException e) {
                    LOG.debug("Kafka broker reconciliation failed", e);
                }
            }, 100, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        LOG.info("Kafka listening brokers={}", server.brokers());
        return server;
    }

    /** Every broker's address, by node id, whether it is up or stopped: what MSK reports. */
    public List<BrokerAddress> allBrokers() {
        return List.copyOf(addresses.values());
    }

    /**
     * Stops a broker as a reboot does: its listener closes (and its connections), and on a
     * replicated store its node stops so that leadership moves. Idempotent.
     */
    public synchronized void stopBroker(int nodeId) {
        rebooting.add(nodeId);
        closeListener(nodeId);
        if (store.nodes().size() > 1) {
            store.stopNode(nodeId);
        }
        // one node: the store cannot stop it; the listener is down and the partitions wait for it
    }

    private void closeListener(int nodeId) {
        for (KafkaBroker b : brokers) {
            if (b.nodeId() == nodeId) {
                b.close();
                brokers.remove(b);
                LOG.info("Kafka broker stopped nodeId={}", nodeId);
            }
        }
    }

    /** Starts a stopped broker again on its port. Idempotent. */
    public synchronized void startBroker(int nodeId) {
        rebooting.remove(nodeId);
        if (store.nodes().size() > 1) {
            store.startNode(nodeId);
        }
        openListener(nodeId);
    }

    private void openListener(int nodeId) {
        BrokerAddress address = addresses.get(nodeId);
        if (address == null || brokers.stream().anyMatch(b -> b.nodeId() == nodeId)) {
            return;
        }
        try {
            brokers.add(new KafkaBroker(nodeId, bindHost, address.port(), advertisedHost, apis));
            LOG.info("Kafka broker started nodeId={} port={}", nodeId, address.port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen again for Kafka broker " + nodeId + " on port " + address.port(), e);
        }
    }

    /**
     * Keeps listeners in step with the store's nodes: a node stopped through the store (test-control
     * {@code nodes/{id}/stop}, a failed disk) closes its broker's listener, as a dead broker's port
     * refuses connections; a started node listens again on its port. Runs every 100 ms.
     */
    synchronized void reconcile() {
        for (NodeInfo n : store.nodes()) {
            boolean listening = brokers.stream().anyMatch(b -> b.nodeId() == n.id());
            boolean wanted = n.running() && !rebooting.contains(n.id());
            if (listening && !wanted) {
                closeListener(n.id());
            } else if (!listening && wanted) {
                try {
                    openListener(n.id());
                } catch (UncheckedIOException e) {
                    LOG.warn("Kafka broker could not listen again nodeId={}", n.id(), e);
                }
            }
        }
    }

    /** True while the store runs the node (a request reaching a stopped node's connection is refused). */
    boolean nodeRunning(int nodeId) {
        for (NodeInfo n : store.nodes()) {
            if (n.id() == nodeId) {
                return n.running() && !rebooting.contains(nodeId);
            }
        }
        return false;
    }

    /** Every running broker's address, by node id. */
    public List<BrokerAddress> brokers() {
        List<BrokerAddress> out = new ArrayList<>();
        for (KafkaBroker b : brokers) {
            if (isRunning(b.nodeId())) {
                out.add(new BrokerAddress(b.nodeId(), b.host(), b.port()));
            }
        }
        return out;
    }

    /** {@code host:port,host:port,...}: what {@code bootstrap.servers} takes. */
    public String bootstrapServers() {
        return String.join(",", brokers().stream().map(b -> b.host() + ":" + b.port()).toList());
    }

    boolean isRunning(int nodeId) {
        if (brokers.stream().noneMatch(b -> b.nodeId() == nodeId)) {
            return false;
        }
        for (NodeInfo n : store.nodes()) {
            if (n.id() == nodeId) {
                return n.running();
            }
        }
        return false;
    }

    /** The lowest running node: what Metadata reports as the controller. */
    int controllerId() {
        for (NodeInfo n : store.nodes()) {
            if (n.running() && isRunning(n.id())) {
                return n.id();
            }
        }
        return -1;
    }

    @Override
    public void close() {
        reconciler.shutdownNow();
        apis.groups().close();
        for (KafkaBroker b : brokers) {
            b.close();
        }
    }
}
