package dev.tributary.emulator.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The Kafka listener's and the MSK control plane's settings (see {@link ConfigKey#KAFKA_PORT} and
 * the keys after it).
 *
 * @param port               port of broker 0's listener (broker n: port + n); 0 picks free ports,
 *                           -1 means no Kafka listener at all
 * @param advertisedHost     the host name brokers give clients in Metadata and GetBootstrapBrokers
 * @param createClusterDelay how long a new MSK cluster stays CREATING
 * @param deleteClusterDelay how long a deleted MSK cluster stays DELETING
 * @param rebootBrokerDelay  how long a broker rebooted through MSK stays down
 */
public record KafkaConfig(int port, String advertisedHost, Duration createClusterDelay, Duration deleteClusterDelay,
                          Duration rebootBrokerDelay) {
    public KafkaConfig {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("kafka-port must be -1..65535: " + port);
        }
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        if (createClusterDelay.isNegative() || deleteClusterDelay.isNegative() || rebootBrokerDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** True when the Kafka listener is on. */
    public boolean enabled() {
        return port >= 0;
    }
}
