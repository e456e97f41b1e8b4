package dev.tributary.emulator;

import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.control.ControlHandler;
import dev.tributary.emulator.http.HttpFrontEnd;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisService;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.AwsMappers;
import dev.tributary.emulator.protocol.Authenticator;
import dev.tributary.emulator.time.ControlClock;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.emulator.protocol.ServiceModel;
import dev.tributary.emulator.protocol.SigV4Verifier;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulator: the composition root. {@link #start} opens the store (recovering it),
 * builds the services and starts the HTTP front end; {@link #close} stops them and closes the
 * store cleanly. Use it from {@code main}, or in-process from tests:
 * <pre>{@code
 * try (Tributary t = Tributary.start(EmulatorConfig.forTests())) {
 *     KinesisClient kinesis = KinesisClient.builder().endpointOverride(t.endpoint()) ... .build();
 * }
 * }</pre>
 */
public final class Tributary implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tributary.class);

    private final EmulatorConfig config;
    private final ControlClock clock;
    private final ShardStore store;
    private final HttpFrontEnd http;
    private final KinesisBackend kinesis;
    private dev.tributary.emulator.firehose.FirehoseBackend firehose;
    private dev.tributary.emulator.analytics.AnalyticsBackend analytics;
    private dev.tributary.emulator.kafka.KafkaServer kafka;

    private Tributary(EmulatorConfig config, ControlClock clock, ShardStore store, HttpFrontEnd http,
                      KinesisBackend kinesis) {
        this.kinesis = kinesis;
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.http = http;
    }

    public static Tributary start(EmulatorConfig config) {
        long t0 = System.nanoTime();
        ControlClock clock = new ControlClock(config.clock());
        EmulatorConfig effective = config.withClock(clock);
        StoreConfig.FsyncPolicy fsync = StoreConfig.FsyncPolicy.valueOf(effective.fsync().toUpperCase(java.util.Locale.ROOT));
        StoreConfig storeConfig = StoreConfig.defaults(effective.inMemory() ? null : effective.dataDir())
                .withClock(clock)
                .withFsync(fsync, effective.fsyncInterval().isZero() ? Duration.ofSeconds(1) : effective.fsyncInterval())
                .withSegmentBytes(effective.segmentBytes())
                .withReplication(StoreConfig.Replication.of(effective.replication().nodes(),
                                effective.replication().factor(), effective.replication().minInsync())
                        .withLag(effective.replication().lagTime(), 0)
                        .withUncleanLeaderElection(effective.replication().uncleanLeaderElection()));
        // Loading the service model (and warming Jackson) takes longer than opening the store and
        // starting Jetty: do it on another core meanwhile. Requests wait for it; health says ready
        // only once it is done, and start() returns only then.
        CompletableFuture<ServiceModel> kinesisModel = CompletableFuture.supplyAsync(
                () -> ServiceModel.load(KinesisService.MODEL), Tributary::startupThread);
        ShardStore store = ShardStores.open(storeConfig);
        HttpFrontEnd http = null;
        dev.tributary.emulator.firehose.FirehoseBackend firehoseForCleanup = null;
        dev.tributary.emulator.analytics.AnalyticsBackend analyticsForCleanup = null;
        dev.tributary.emulator.kafka.KafkaServer kafkaForCleanup = null;
        try {
            dev.tributary.emulator.metrics.Metrics metrics = new dev.tributary.emulator.metrics.Metrics();
            metrics.gauge("tributary_streams", "Streams that exist (any status).", () -> store.streams().size());
            metrics.gauge("tributary_open_shards", "Open shards over every stream.",
                    () -> store.streams().stream().mapToLong(s -> s.openShards().size()).sum());
            KinesisBackend kinesis = new KinesisBackend(store, effective, metrics);
            Authenticator authenticator = new Authenticator(effective.account(), effective.region(),
                    effective.requireAuth(), effective.verifySignatures()
                            ? new SigV4Verifier(effective.credentials()::get, clock) : null);
            dev.tributary.emulator.control.Faults faults = new dev.tributary.emulator.control.Faults();
            kinesis.setFaults(faults);
            dev.tributary.emulator.firehose.FirehoseBackend firehose =
                    new dev.tributary.emulator.firehose.FirehoseBackend(store, effective);
            firehoseForCleanup = firehose;
            kinesis.channels().attachDelivery(firehose.engine());
            dev.tributary.emulator.analytics.AnalyticsBackend analytics =
                    new dev.tributary.emulator.analytics.AnalyticsBackend(store, kinesis, firehose, effective);
            analyticsForCleanup = analytics;
            dev.tributary.emulator.dynamodb.DynamoDbBackend dynamodb = new dev.tributary.emulator.dynamodb.DynamoDbBackend(
                    effective.inMemory() ? null : effective.dataDir(), clock);
            CompletableFuture<AwsJsonDispatcher> dispatcher = kinesisModel.thenApply(model -> {
                AwsJsonDispatcher d = new AwsJsonDispatcher(List.of(KinesisService.create(kinesis, model),
                        dev.tributary.emulator.firehose.FirehoseService.create(firehose),
                        dev.tributary.emulator.analytics.AnalyticsService.create(analytics),
                        dev.tributary.emulator.dynamodb.DynamoDbService.create(dynamodb)),
                        new AwsMappers(), authenticator);
                d.setFaults(faults);
                d.setMetrics(metrics);
                return d;
            });
            dev.tributary.emulator.kafka.KafkaFaults kafkaFaults = new dev.tributary.emulator.kafka.KafkaFaults();
            ControlHandler control = new ControlHandler(clock, store, kinesis, dispatcher::isDone).withFaults(faults)
                    .withFirehose(firehose).withAnalytics(analytics)
                    .withConsole(new dev.tributary.emulator.console.ConsoleHandler(store, kinesis, firehose, clock))
                    .withKafkaFaults(kafkaFaults);
            dev.tributary.emulator.kafka.KafkaServer[] kafkaRef = new dev.tributary.emulator.kafka.KafkaServer[1];
            dev.tributary.emulator.msk.MskHandler msk = new dev.tributary.emulator.msk.MskHandler(
                    new dev.tributary.emulator.msk.MskBackend(store, effective.kafka(), clock),
                    () -> kafkaRef[0], effective.account(), effective.region());
            http = HttpFrontEnd.start(effective, dispatcher, control,
                    new dev.tributary.emulator.s3.S3Handler(firehose.sink()),
                    new dev.tributary.emulator.cloudwatch.CloudWatchHandler(clock, effective.account()), msk);
            if (effective.initFile() != null) {
                InitFile.apply(effective.initFile(), dispatcher.join(), effective.account(), effective.region());
            }
            dispatcher.join();
            kafkaForCleanup = effective.kafka().enabled() ? dev.tributary.emulator.kafka.KafkaServer.start(
                    effective.kafka(), effective.host(), store, clock, kafkaFaults, metrics) : null;
            kafkaRef[0] = kafkaForCleanup;
            LOG.info("Tributary ready endpoint={} dataDir={} startupMillis={}", http.endpoint(),
                    effective.inMemory() ? "(in memory)" : effective.dataDir().toAbsolutePath(),
                    (System.nanoTime() - t0) / 1_000_000);
            Tributary t = new Tributary(effective, clock, store, http, kinesis);
            t.firehose = firehose;
            t.analytics = analytics;
            t.kafka = kafkaForCleanup;
            return t;
        } catch (RuntimeException e) {
            if (kafkaForCleanup != null) {
                kafkaForCleanup.close();
            }
            if (http != null) {
                http.close();
            }
            if (analyticsForCleanup != null) {
                analyticsForCleanup.close();
            }
            if (firehoseForCleanup != null) {
                firehoseForCleanup.close();
            }
            store.close();
            throw e;
        }
    }

    private static void startupThread(Runnable task) {
        Thread t = new Thread(task, "tributary-startup");
        t.setDaemon(true);
        t.start();
    }

    /** The port the server listens on (the real one when configured with port 0). */
    public int port() {
        return http.port();
    }

    /** {@code http://host:port}, for {@code endpointOverride}. */
    public URI endpoint() {
        return http.endpoint();
    }

    /** The Kafka brokers' {@code bootstrap.servers} string; empty when Kafka is off ({@code --kafka-port -1}). */
    public String kafkaBootstrapServers() {
        return kafka == null ? "" : kafka.bootstrapServers();
    }

    /** The clock tests move. */
    public ControlClock clock() {
        return clock;
    }

    public EmulatorConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            if (kafka != null) {
                kafka.close();
            }
            kinesis.close();
            if (analytics != null) {
                analytics.close();
            }
            if (firehose != null) {
                firehose.close();
            }
            http.close();
        } finally {
            store.close();
        }
    }
}
