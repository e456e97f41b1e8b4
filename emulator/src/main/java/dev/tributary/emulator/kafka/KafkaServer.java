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
    private final List<KafkaBroker> brokers = new ArrayList<>();

    private KafkaServer(ShardStore store, Clock clock, KafkaFaults faults) {
        this.store = store;
        this.apis = new KafkaApis(this, new KafkaTopics(store), clock, faults);
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
        KafkaServer server = new KafkaServer(store, clock, faults);
        try {
            for (NodeInfo node : store.nodes()) {
                int port = config.port() == 0 ? 0 : config.port() + node.id();
                server.brokers.add(new KafkaBroker(node.id(), bindHost, port, config.advertisedHost(), server.apis));
            }
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot listen for Kafka on " + bindHost + ":" + config.port()
                    + " (--kafka-port; -1 turns Kafka off)", e);
        }
        server.apis.groups().startExpiry();
        LOG.info("Kafka listening brokers={}", server.brokers());
        return server;
    }

    /** Every broker's address, by node id. */
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
            if (n.running()) {
                return n.id();
            }
        }
        return -1;
    }

    @Override
    public void close() {
        apis.groups().close();
        for (KafkaBroker b : brokers) {
            b.close();
        }
    }
}
