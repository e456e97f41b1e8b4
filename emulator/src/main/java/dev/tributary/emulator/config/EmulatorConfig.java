package dev.tributary.emulator.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The emulator's configuration, immutable, built in one place ({@link ConfigLoader}) from flags,
 * environment variables and defaults. See {@link ConfigKey} for each value's meaning.
 */
public record EmulatorConfig(String host, int port, Path dataDir, boolean inMemory, String account,
                             String region, boolean requireAuth, boolean verifySignatures,
                             java.util.Map<String, String> credentials, Duration createStreamDelay,
                             Duration deleteStreamDelay, Duration updateStreamDelay, boolean throughputLimits,
                             int shardLimit,
                             String fsync, Duration fsyncInterval, long segmentBytes, long maxRequestBytes,
                             Path initFile, boolean tls, Path tlsKeystore, String tlsKeystorePassword,
                             Replication replication, KafkaConfig kafka,
                             java.util.Map<String, String> firehoseLambdas, Clock clock) {

    /** The store's replication settings (--nodes, --replication-factor, --min-insync-replicas, --replica-lag-time). */
    public record Replication(int nodes, int factor, int minInsync, Duration lagTime, boolean uncleanLeaderElection) {
        public Replication {
            if (nodes < 1 || factor < 1 || factor > nodes || minInsync < 1 || minInsync > factor) {
                throw new IllegalArgumentException("need 1 <= min-insync-replicas <= replication-factor <= nodes: "
                        + minInsync + ", " + factor + ", " + nodes);
            }
        }
    }

    public EmulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(kafka, "kafka");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits: " + account);
        }
        for (Duration d : new Duration[] {createStreamDelay, deleteStreamDelay, updateStreamDelay, fsyncInterval}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + d);
            }
        }
        if (!fsync.equals("always") && !fsync.equals("interval") && !fsync.equals("never")) {
            throw new IllegalArgumentException("fsync must be always, interval or never: " + fsync);
        }
        credentials = java.util.Map.copyOf(credentials);
        firehoseLambdas = java.util.Map.copyOf(firehoseLambdas);
        if (verifySignatures && credentials.isEmpty()) {
            throw new IllegalArgumentException("--verify-signatures needs --credentials ACCESS_KEY_ID:SECRET[,...]");
        }
        if (shardLimit < 1) {
            throw new IllegalArgumentException("shard-limit must be >= 1: " + shardLimit);
        }
    }

    /** The defaults, in memory, on a free port, with no state-transition delays: for tests. */
    public static EmulatorConfig forTests() {
        return ConfigLoader.load(new String[] {"--in-memory", "--port", "0", "--create-stream-delay", "0",
                "--delete-stream-delay", "0", "--update-stream-delay", "0", "--msk-create-cluster-delay", "0",
                "--msk-delete-cluster-delay", "0"}, java.util.Map.of());
    }

    public EmulatorConfig withClock(Clock newClock) {
        return new EmulatorConfig(host, port, dataDir, inMemory, account, region, requireAuth, verifySignatures,
                credentials, createStreamDelay,
                deleteStreamDelay, updateStreamDelay, throughputLimits, shardLimit, fsync, fsyncInterval, segmentBytes,
                maxRequestBytes, initFile, tls, tlsKeystore, tlsKeystorePassword, replication, kafka, firehoseLambdas,
                newClock);
    }
}
