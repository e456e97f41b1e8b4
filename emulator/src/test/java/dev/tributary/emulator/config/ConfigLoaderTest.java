package dev.tributary.emulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void defaultsMatchTheDocumentedContract() {
        EmulatorConfig c = ConfigLoader.load(new String[0], Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(4566);
        assertThat(c.inMemory()).isFalse();
        assertThat(c.account()).isEqualTo("000000000000");
        assertThat(c.createStreamDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.fsync()).isEqualTo("interval");
        assertThat(c.kafka()).isEqualTo(new KafkaConfig(9092, "127.0.0.1", Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofSeconds(5)));
    }

    /** A server on a free HTTP port gets free Kafka ports too, unless --kafka-port says otherwise. */
    @Test
    void kafkaPortFollowsAFreeHttpPortUnlessGiven() {
        assertThat(ConfigLoader.load(new String[] {"--port", "0"}, Map.of()).kafka().port()).isZero();
        assertThat(ConfigLoader.load(new String[] {"--port", "0", "--kafka-port", "9093"}, Map.of()).kafka().port())
                .isEqualTo(9093);
        assertThat(ConfigLoader.load(new String[] {"--port", "0"}, Map.of("TRIBUTARY_KAFKA_PORT", "-1")).kafka().enabled())
                .isFalse();
        assertThat(ConfigLoader.load(new String[] {"--host", "0.0.0.0"}, Map.of()).kafka().advertisedHost())
                .isEqualTo("localhost");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--kafka-port", "-2"}, Map.of()))
                .hasMessage("kafka-port must be -1..65535: -2");
    }

    /** Each key is read from its own flag and its own variable: no crossed wires. */
    @Test
    void everyKeyReadsItsOwnFlagAndVariable() {
        Map<ConfigKey, String> distinct = Map.ofEntries(
                Map.entry(ConfigKey.HOST, "0.0.0.0"), Map.entry(ConfigKey.PORT, "4001"),
                Map.entry(ConfigKey.DATA_DIR, "/tmp/x1"), Map.entry(ConfigKey.IN_MEMORY, "true"),
                Map.entry(ConfigKey.ACCOUNT, "111111111111"), Map.entry(ConfigKey.REGION, "eu-west-3"),
                Map.entry(ConfigKey.REQUIRE_AUTH, "false"), Map.entry(ConfigKey.VERIFY_SIGNATURES, "true"),
                Map.entry(ConfigKey.CREDENTIALS, "AKID1:s1,AKID2:s2"), Map.entry(ConfigKey.CREATE_STREAM_DELAY, "11ms"),
                Map.entry(ConfigKey.DELETE_STREAM_DELAY, "22ms"), Map.entry(ConfigKey.UPDATE_STREAM_DELAY, "33ms"),
                Map.entry(ConfigKey.THROUGHPUT_LIMITS, "true"), Map.entry(ConfigKey.SHARD_LIMIT, "44"), Map.entry(ConfigKey.FSYNC, "always"),
                Map.entry(ConfigKey.FSYNC_INTERVAL, "55ms"), Map.entry(ConfigKey.SEGMENT_BYTES, "66666"),
                Map.entry(ConfigKey.MAX_REQUEST_BYTES, "77777"), Map.entry(ConfigKey.INIT, "/tmp/init.json"),
                Map.entry(ConfigKey.TLS, "true"), Map.entry(ConfigKey.TLS_KEYSTORE, "/tmp/ks.p12"),
                Map.entry(ConfigKey.TLS_KEYSTORE_PASSWORD, "pw1"), Map.entry(ConfigKey.LOG_LEVEL, "debug"),
                Map.entry(ConfigKey.NODES, "3"), Map.entry(ConfigKey.REPLICATION_FACTOR, "2"),
                Map.entry(ConfigKey.MIN_INSYNC_REPLICAS, "2"), Map.entry(ConfigKey.REPLICA_LAG_TIME, "66ms"),
                Map.entry(ConfigKey.UNCLEAN_LEADER_ELECTION, "true"),

                Map.entry(ConfigKey.KAFKA_PORT, "9100"), Map.entry(ConfigKey.KAFKA_ADVERTISED_HOST, "kafka.local"),
                Map.entry(ConfigKey.MSK_CREATE_CLUSTER_DELAY, "88ms"), Map.entry(ConfigKey.MSK_DELETE_CLUSTER_DELAY, "99ms"),
                Map.entry(ConfigKey.FIREHOSE_LAMBDA, "arn:aws:lambda:us-east-1:000000000000:function:f=http://127.0.0.1:9/f"),
                Map.entry(ConfigKey.MSK_REBOOT_BROKER_DELAY, "111ms"));
        assertThat(distinct.keySet()).containsExactlyInAnyOrder(ConfigKey.values());
        java.util.List<String> args = new java.util.ArrayList<>();
        java.util.Map<String, String> env = new java.util.HashMap<>();
        distinct.forEach((k, v) -> {
            args.add("--" + k.flag());
            args.add(v);
            env.put(k.env(), v);
        });
        for (EmulatorConfig c : new EmulatorConfig[] {
                ConfigLoader.load(args.toArray(String[]::new), Map.of()), ConfigLoader.load(new String[0], env)}) {
            assertThat(c.host()).isEqualTo("0.0.0.0");
            assertThat(c.replication()).isEqualTo(new EmulatorConfig.Replication(3, 2, 2, Duration.ofMillis(66), true));
            assertThat(c.port()).isEqualTo(4001);
            assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x1"));
            assertThat(c.inMemory()).isTrue();
            assertThat(c.account()).isEqualTo("111111111111");
            assertThat(c.region()).isEqualTo("eu-west-3");
            assertThat(c.requireAuth()).isFalse();
            assertThat(c.verifySignatures()).isTrue();
            assertThat(c.credentials()).containsExactlyInAnyOrderEntriesOf(Map.of("AKID1", "s1", "AKID2", "s2"));
            assertThat(c.createStreamDelay()).isEqualTo(Duration.ofMillis(11));
            assertThat(c.deleteStreamDelay()).isEqualTo(Duration.ofMillis(22));
            assertThat(c.updateStreamDelay()).isEqualTo(Duration.ofMillis(33));
            assertThat(c.shardLimit()).isEqualTo(44);
            assertThat(c.throughputLimits()).isTrue();
            assertThat(c.fsync()).isEqualTo("always");
            assertThat(c.fsyncInterval()).isEqualTo(Duration.ofMillis(55));
            assertThat(c.segmentBytes()).isEqualTo(66666);
            assertThat(c.maxRequestBytes()).isEqualTo(77777);
            assertThat(c.initFile()).isEqualTo(Path.of("/tmp/init.json"));
            assertThat(c.tls()).isTrue();
            assertThat(c.tlsKeystore()).isEqualTo(Path.of("/tmp/ks.p12"));
            assertThat(c.tlsKeystorePassword()).isEqualTo("pw1");
            assertThat(c.kafka()).isEqualTo(new KafkaConfig(9100, "kafka.local", Duration.ofMillis(88), Duration.ofMillis(99),
                    Duration.ofMillis(111)));
            assertThat(c.firehoseLambdas()).containsExactlyEntriesOf(
                    Map.of("arn:aws:lambda:us-east-1:000000000000:function:f", "http://127.0.0.1:9/f"));
        }
        assertThat(ConfigLoader.logLevel(args.toArray(String[]::new), Map.of())).isEqualTo("debug");
        assertThat(ConfigLoader.logLevel(new String[0], env)).isEqualTo("debug");
    }

    @Test
    void flagWinsOverEnvironmentAndBooleanFlagsNeedNoValue() {
        EmulatorConfig c = ConfigLoader.load(new String[] {"--port=5000", "--in-memory"},
                Map.of("TRIBUTARY_PORT", "6000", "TRIBUTARY_IN_MEMORY", "false"));
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.inMemory()).isTrue();
    }

    @Test
    void badInputIsAClearConfigError() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--bogus", "1"}, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port", "x"}, Map.of()))
                .hasMessage("--port must be a whole number: x");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--fsync", "sometimes"}, Map.of()))
                .hasMessage("fsync must be always, interval or never: sometimes");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--firehose-lambda", "f=http://x"}, Map.of()))
                .hasMessage("--firehose-lambda needs FUNCTION_ARN=URL pairs separated by commas: f=http://x");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--firehose-lambda", "arn:a=ftp://x"}, Map.of()))
                .hasMessage("--firehose-lambda: the URL must be http:// or https:// with a host: ftp://x");
    }
}
