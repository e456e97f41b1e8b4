package dev.tributary.it;

import static dev.tributary.it.Kit.shardId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Consumer;
import software.amazon.awssdk.services.kinesis.model.ConsumerDescription;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.EnableEnhancedMonitoringResponse;
import software.amazon.awssdk.services.kinesis.model.DisableEnhancedMonitoringResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListStreamConsumersResponse;
import software.amazon.awssdk.services.kinesis.model.ListTagsForStreamResponse;
import software.amazon.awssdk.services.kinesis.model.MetricsName;
import software.amazon.awssdk.services.kinesis.model.MinimumThroughputBillingCommitmentInputStatus;
import software.amazon.awssdk.services.kinesis.model.MinimumThroughputBillingCommitmentOutput;
import software.amazon.awssdk.services.kinesis.model.MinimumThroughputBillingCommitmentOutputStatus;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.Tag;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/**
 * The Kinesis operations beyond the foundation issue (tags, retention, encryption, enhanced
 * monitoring, limits, capacity modes, enhanced fan-out consumers, resource policies, account
 * settings, record sizes, warm throughput, record distribution, DryRun), plus addressing by ARN,
 * account and region isolation, throughput limits, forced throttles and signature checking, end to
 * end through the SDK v2 over Apache+CBOR and Netty+JSON. Each test gets its own in-memory server
 * with the flags it needs and moves the server's clock instead of sleeping.
 *
 * <p>SDK 2.52 predates {@code DryRun}, {@code RecordDistributionStrategy} and
 * {@code UpdateStreamRecordDistributionStrategy}; {@link BodyEdit} adds those members to the
 * marshalled body (CBOR or JSON) before signing, as a newer SDK would send them. The errors the
 * SDK has no class for ({@code DryRunOperationException}, {@code InvalidSignatureException},
 * {@code UnrecognizedClientException}) arrive as plain {@link KinesisException}.
 */
class KinesisCompletenessIT {
    private static final String KINDS = "dev.tributary.it.KinesisCompletenessIT#kinds";
    private static final String ARN_PREFIX = "arn:aws:kinesis:us-east-1:000000000000:stream/";
    private static final String DRY_RUN_TEXT = "The request would have succeeded, but the DryRun parameter was set.";
    private static final List<String> ALL_METRICS = List.of("IncomingBytes", "IncomingRecords", "OutgoingBytes",
            "OutgoingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
            "IteratorAgeMilliseconds");
    private static final String[] BASE_FLAGS = {"--in-memory", "--port", "0", "--create-stream-delay", "0",
        "--delete-stream-delay", "0", "--update-stream-delay", "0"};

    private static final List<CompletableFuture<Void>> STOPPING = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Object BUILD_LOCK = new Object();

    private Tributary server;

    /** Apache with CBOR (the SDK's default) and Netty over h2c with JSON: both transports, both formats. */
    static Stream<Clients.Kind> kinds() {
        return Stream.of(new Clients.Kind(Clients.Transport.APACHE, true),
                new Clients.Kind(Clients.Transport.NETTY, false));
    }

    /** Starts the server for this test: the test defaults (in memory, port 0, no delays) then {@code flags}. */
    private Tributary start(String... flags) {
        String[] args = Stream.concat(Arrays.stream(BASE_FLAGS), Arrays.stream(flags)).toArray(String[]::new);
        server = Tributary.start(ConfigLoader.load(args, Map.of()));
        return server;
    }

    @AfterEach
    void stopServer() {
        Tributary stopping = server;
        if (stopping != null) {
            STOPPING.add(CompletableFuture.runAsync(() -> Kit.stop(stopping)));
        }
    }

    @AfterAll
    static void awaitStops() {
        CompletableFuture.allOf(STOPPING.toArray(CompletableFuture[]::new)).join();
    }

    private KinesisClient client(Clients.Kind kind) {
        return Clients.open(kind, server.endpoint());
    }

    /** Stops the server's clock on a whole second plus 700 ms a little ahead of now, and returns it. */
    private Instant pinClock() {
        Instant at = Instant.ofEpochMilli((server.clock().millis() / 1000 + 2) * 1000 + 700);
        server.clock().pin(at);
        return at;
    }

    // ---- tags -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void streamTagsAreAddedOverwrittenListedInPagesAndRemoved(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("tagged").shardCount(1).tags(Map.of("env", "prod")));
            assertThat(tags(kinesis.listTagsForStream(b -> b.streamName("tagged")))).containsExactly("env=prod");

            // AWS's recorded order of these keys (kinesalite's test against AWS): code-point order.
            List<String> ordered = List.of(" ", "+", "/", "0", "=", "@", "Zb", "_", "a", "\u00ff");
            Map<String, String> shuffled = new LinkedHashMap<>();
            for (int i = ordered.size() - 1; i >= 0; i--) {
                shuffled.put(ordered.get(i), "v" + i);
            }
            shuffled.put("env", "staging");
            kinesis.addTagsToStream(b -> b.streamName("tagged").tags(shuffled));
            kinesis.addTagsToStream(b -> b.streamName("tagged").tags(Map.of("empty", "")));

            ListTagsForStreamResponse all = kinesis.listTagsForStream(b -> b.streamName("tagged"));
            assertThat(all.tags()).extracting(Tag::key).containsExactly(" ", "+", "/", "0", "=", "@", "Zb", "_", "a",
                    "empty", "env", "\u00ff");
            assertThat(all.hasMoreTags()).isFalse();
            assertThat(all.tags()).filteredOn(t -> t.key().equals("env")).extracting(Tag::value).containsExactly("staging");
            assertThat(all.tags()).filteredOn(t -> t.key().equals("empty")).extracting(Tag::value).containsExactly("");

            ListTagsForStreamResponse page = kinesis.listTagsForStream(b -> b.streamName("tagged")
                    .exclusiveStartTagKey("@").limit(2));
            assertThat(tags(page)).containsExactly("Zb=v6", "_=v7");
            assertThat(page.hasMoreTags()).isTrue();
            // The start key need not exist: listing resumes after it in key order.
            ListTagsForStreamResponse rest = kinesis.listTagsForStream(b -> b.streamName("tagged")
                    .exclusiveStartTagKey("b").limit(3));
            assertThat(rest.tags()).extracting(Tag::key).containsExactly("empty", "env", "\u00ff");
            assertThat(rest.hasMoreTags()).isFalse();
            ListTagsForStreamResponse exact = kinesis.listTagsForStream(b -> b.streamName("tagged")
                    .exclusiveStartTagKey("a").limit(3));
            assertThat(exact.tags()).extracting(Tag::key).containsExactly("empty", "env", "\u00ff");
            assertThat(exact.hasMoreTags()).isFalse();

            // Keys the stream does not have are ignored.
            kinesis.removeTagsFromStream(b -> b.streamName("tagged").tagKeys("env", "a", "never-there"));
            assertThat(kinesis.listTagsForStream(b -> b.streamName("tagged")).tags()).extracting(Tag::key)
                    .containsExactly(" ", "+", "/", "0", "=", "@", "Zb", "_", "empty", "\u00ff");
        }
    }

    /**
     * Code-point order differs from Java's UTF-16 order for a supplementary character: U+10400
     * (a letter) sorts after U+FF21 by code point but before it by UTF-16 unit (0xD801 &lt; 0xFF21).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void tagKeysAreOrderedByCodePointBeyondTheBasicPlane(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("cp").shardCount(1));
            kinesis.addTagsToStream(b -> b.streamName("cp").tags(Map.of("\uD801\uDC00", "deseret", "\uFF21", "fullwidth",
                    "z", "ascii")));
            assertThat(kinesis.listTagsForStream(b -> b.streamName("cp")).tags()).extracting(Tag::key)
                    .containsExactly("z", "\uFF21", "\uD801\uDC00");
            assertThat(kinesis.listTagsForStream(b -> b.streamName("cp").exclusiveStartTagKey("\uFF21")).tags())
                    .extracting(Tag::key).containsExactly("\uD801\uDC00");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void tagRulesRefuseBadCharactersAndAFiftyFirstTag(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("tagged").shardCount(1));
            InvalidArgumentException semicolon = thrown(InvalidArgumentException.class,
                    () -> kinesis.addTagsToStream(b -> b.streamName("tagged").tags(Map.of("a;b", "1"))));
            assertThat(Kit.error(semicolon)).isEqualTo("InvalidArgumentException: Some tags contain invalid characters. "
                    + "Valid characters: Unicode letters, digits, white space, _ . / = + - % @.");
            InvalidArgumentException percent = thrown(InvalidArgumentException.class,
                    () -> kinesis.addTagsToStream(b -> b.streamName("tagged").tags(Map.of("a", "50%"))));
            assertThat(Kit.error(percent)).isEqualTo("InvalidArgumentException: Failed to add tags to stream tagged "
                    + "under account 000000000000 because some tags contained illegal characters. The allowed "
                    + "characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.");

            Map<String, String> fifty = new LinkedHashMap<>();
            IntStream.range(0, 50).forEach(i -> fifty.put("k" + i, "v"));
            kinesis.addTagsToStream(b -> b.streamName("tagged").tags(fifty));
            // Overwriting an existing key does not count as a new tag.
            kinesis.addTagsToStream(b -> b.streamName("tagged").tags(Map.of("k0", "again")));
            InvalidArgumentException tooMany = thrown(InvalidArgumentException.class,
                    () -> kinesis.addTagsToStream(b -> b.streamName("tagged").tags(Map.of("k50", "v"))));
            assertThat(Kit.error(tooMany)).isEqualTo("InvalidArgumentException: Failed to add tags to stream tagged "
                    + "under account 000000000000 because a given stream cannot have more than 10 tags associated "
                    + "with it.");
            assertThat(kinesis.listTagsForStream(b -> b.streamName("tagged")).tags()).hasSize(50);

            ResourceNotFoundException missing = thrown(ResourceNotFoundException.class,
                    () -> kinesis.listTagsForStream(b -> b.streamName("nope")));
            assertThat(Kit.error(missing)).isEqualTo("ResourceNotFoundException: Stream nope under account "
                    + "000000000000 not found.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void tagResourceTagsStreamsAndConsumersByArnSeparately(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            String streamArn = ARN_PREFIX + "res";
            kinesis.createStream(b -> b.streamName("res").shardCount(1).tags(Map.of("owner", "team-a")));
            String consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader")
                    .tags(Map.of("role", "fanout"))).consumer().consumerARN();

            kinesis.tagResource(b -> b.resourceARN(streamArn).tags(Map.of("cost", "42", "owner", "team-b")));
            kinesis.tagResource(b -> b.resourceARN(consumerArn).tags(Map.of("tier", "gold")));

            assertThat(tagStrings(kinesis.listTagsForResource(b -> b.resourceARN(streamArn)).tags()))
                    .containsExactly("cost=42", "owner=team-b");
            assertThat(tagStrings(kinesis.listTagsForResource(b -> b.resourceARN(consumerArn)).tags()))
                    .containsExactly("role=fanout", "tier=gold");
            assertThat(tags(kinesis.listTagsForStream(b -> b.streamName("res")))).containsExactly("cost=42", "owner=team-b");

            kinesis.untagResource(b -> b.resourceARN(consumerArn).tagKeys("role", "absent"));
            kinesis.untagResource(b -> b.resourceARN(streamArn).tagKeys("cost"));
            assertThat(tagStrings(kinesis.listTagsForResource(b -> b.resourceARN(consumerArn)).tags()))
                    .containsExactly("tier=gold");
            assertThat(tagStrings(kinesis.listTagsForResource(b -> b.resourceARN(streamArn)).tags()))
                    .containsExactly("owner=team-b");

            // A consumer that is deregistered and registered again starts without tags.
            kinesis.deregisterStreamConsumer(b -> b.consumerARN(consumerArn));
            server.clock().advance(Duration.ofSeconds(2));
            String again = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader"))
                    .consumer().consumerARN();
            assertThat(again).isNotEqualTo(consumerArn);
            assertThat(kinesis.listTagsForResource(b -> b.resourceARN(again)).tags()).isEmpty();
            ResourceNotFoundException old = thrown(ResourceNotFoundException.class,
                    () -> kinesis.listTagsForResource(b -> b.resourceARN(consumerArn)));
            assertThat(Kit.error(old)).isEqualTo("ResourceNotFoundException: Consumer " + consumerArn
                    + " under account 000000000000 not found.");
        }
    }

    // ---- retention --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void retentionChangesAreBoundedAndDirectional(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("ret").shardCount(1));
            kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(48));
            assertThat(summary(kinesis, "ret").retentionPeriodHours()).isEqualTo(48);

            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(23)),
                    () -> kinesis.decreaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(23)))) {
                assertThat(Kit.error(thrown(InvalidArgumentException.class, call))).isEqualTo("InvalidArgumentException: "
                        + "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.");
            }
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(8761)),
                    () -> kinesis.decreaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(8761)))) {
                assertThat(Kit.error(thrown(InvalidArgumentException.class, call))).isEqualTo("InvalidArgumentException: "
                        + "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.");
            }
            InvalidArgumentException shorter = thrown(InvalidArgumentException.class,
                    () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(30)));
            assertThat(Kit.error(shorter)).isEqualTo("InvalidArgumentException: Requested retention period (30 hours) "
                    + "for stream ret can not be shorter than existing retention period (48 hours). "
                    + "Use DecreaseRetentionPeriod API.");
            InvalidArgumentException longer = thrown(InvalidArgumentException.class,
                    () -> kinesis.decreaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(72)));
            assertThat(Kit.error(longer)).isEqualTo("InvalidArgumentException: Requested retention period (72 hours) "
                    + "for stream ret can not be longer than existing retention period (48 hours). "
                    + "Use IncreaseRetentionPeriod API.");

            // The same value either way is a no-op; the extremes are allowed.
            kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(48));
            kinesis.decreaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(48));
            kinesis.increaseStreamRetentionPeriod(b -> b.streamARN(ARN_PREFIX + "ret").retentionPeriodHours(8760));
            assertThat(summary(kinesis, "ret").retentionPeriodHours()).isEqualTo(8760);
            kinesis.decreaseStreamRetentionPeriod(b -> b.streamARN(ARN_PREFIX + "ret").retentionPeriodHours(24));
            assertThat(kinesis.describeStream(b -> b.streamName("ret")).streamDescription().retentionPeriodHours())
                    .isEqualTo(24);
        }
    }

    /** kinesalite's tests against AWS check the stream before the bounds: a missing stream is not found. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void retentionChangeOnMissingStreamIsNotFoundEvenOutOfBounds(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            ResourceNotFoundException e = thrown(ResourceNotFoundException.class,
                    () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName("nope").retentionPeriodHours(23)));
            assertThat(Kit.error(e)).isEqualTo("ResourceNotFoundException: Stream nope under account 000000000000 not found.");
        }
    }

    /**
     * "old" is written at T, "new" at T+30h, with 48 h retention: both readable. Decreasing to 24 h
     * makes "old" (30 h old) unreadable at once, through a fresh iterator and through one issued
     * before the decrease, while "new" stays.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void decreasingRetentionHidesOlderRecordsAtOnce(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("ret").shardCount(1));
            kinesis.increaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(48));
            Instant t0 = pinClock();
            kinesis.putRecord(b -> b.streamName("ret").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
            server.clock().advance(Duration.ofHours(30));
            kinesis.putRecord(b -> b.streamName("ret").partitionKey("k").data(SdkBytes.fromUtf8String("new")));
            assertThat(texts(Kit.readAll(kinesis, "ret", shardId(0)))).containsExactly("old", "new");
            String before = kinesis.getShardIterator(b -> b.streamName("ret").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

            kinesis.decreaseStreamRetentionPeriod(b -> b.streamName("ret").retentionPeriodHours(24));

            assertThat(texts(Kit.readAll(kinesis, "ret", shardId(0)))).containsExactly("new");
            assertThat(texts(kinesis.getRecords(b -> b.shardIterator(before)).records())).containsExactly("new");
            String atT0 = kinesis.getShardIterator(b -> b.streamName("ret").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(t0)).shardIterator();
            assertThat(texts(kinesis.getRecords(b -> b.shardIterator(atT0)).records())).containsExactly("new");
        }
    }

    // ---- encryption -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void encryptionMarksDescriptionsAndRecordsWrittenWhileOn(Clients.Kind kind) {
        start("--update-stream-delay", "2s");
        try (KinesisClient kinesis = client(kind)) {
            pinClock();
            kinesis.createStream(b -> b.streamName("enc").shardCount(1));
            kinesis.putRecord(b -> b.streamName("enc").partitionKey("k").data(SdkBytes.fromUtf8String("plain-1")));

            InvalidArgumentException none = thrown(InvalidArgumentException.class,
                    () -> kinesis.startStreamEncryption(b -> b.streamName("enc").encryptionType(EncryptionType.NONE)
                            .keyId("alias/aws/kinesis")));
            assertThat(Kit.error(none)).isEqualTo("InvalidArgumentException: Encryption type NONE is not valid. "
                    + "The only supported encryption type is KMS.");

            kinesis.startStreamEncryption(b -> b.streamName("enc").encryptionType(EncryptionType.KMS)
                    .keyId("alias/aws/kinesis"));
            assertThat(summary(kinesis, "enc").streamStatus()).isEqualTo(StreamStatus.UPDATING);
            ResourceInUseException busy = thrown(ResourceInUseException.class,
                    () -> kinesis.stopStreamEncryption(b -> b.streamName("enc").encryptionType(EncryptionType.KMS)
                            .keyId("alias/aws/kinesis")));
            assertThat(Kit.error(busy)).isEqualTo("ResourceInUseException: Stream enc under account 000000000000 "
                    + "not ACTIVE, instead in state UPDATING");
            server.clock().advance(Duration.ofMillis(1999));
            assertThat(summary(kinesis, "enc").streamStatus()).isEqualTo(StreamStatus.UPDATING);
            server.clock().advance(Duration.ofMillis(1));
            StreamDescriptionSummary on = summary(kinesis, "enc");
            assertThat(on.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(on.encryptionType()).isEqualTo(EncryptionType.KMS);
            assertThat(on.keyId()).isEqualTo("alias/aws/kinesis");
            var described = kinesis.describeStream(b -> b.streamName("enc")).streamDescription();
            assertThat(described.encryptionType()).isEqualTo(EncryptionType.KMS);
            assertThat(described.keyId()).isEqualTo("alias/aws/kinesis");

            PutRecordResponse one = kinesis.putRecord(b -> b.streamName("enc").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("secret-1")));
            assertThat(one.encryptionType()).isEqualTo(EncryptionType.KMS);
            PutRecordsResponse many = kinesis.putRecords(b -> b.streamName("enc").records(entry("k", "secret-2")));
            assertThat(many.encryptionType()).isEqualTo(EncryptionType.KMS);

            kinesis.stopStreamEncryption(b -> b.streamARN(ARN_PREFIX + "enc").encryptionType(EncryptionType.KMS)
                    .keyId("alias/aws/kinesis"));
            assertThat(summary(kinesis, "enc").streamStatus()).isEqualTo(StreamStatus.UPDATING);
            server.clock().advance(Duration.ofSeconds(2));
            StreamDescriptionSummary off = summary(kinesis, "enc");
            assertThat(off.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(off.encryptionType()).isEqualTo(EncryptionType.NONE);
            assertThat(off.keyId()).isNull();

            PutRecordResponse after = kinesis.putRecord(b -> b.streamName("enc").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("plain-2")));
            assertThat(after.encryptionType()).isNull();
            assertThat(kinesis.putRecords(b -> b.streamName("enc").records(entry("k", "plain-3"))).encryptionType()).isNull();

            List<Record> read = Kit.readAll(kinesis, "enc", shardId(0));
            assertThat(texts(read)).containsExactly("plain-1", "secret-1", "secret-2", "plain-2", "plain-3");
            assertThat(read).extracting(Record::encryptionType)
                    .containsExactly(null, EncryptionType.KMS, EncryptionType.KMS, null, null);
        }
    }

    // ---- enhanced monitoring ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void enhancedMonitoringExpandsAllAndReportsCurrentAndDesired(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("mon").shardCount(1));
            assertThat(summary(kinesis, "mon").enhancedMonitoring()).singleElement()
                    .satisfies(m -> assertThat(m.shardLevelMetrics()).isEmpty());

            EnableEnhancedMonitoringResponse first = kinesis.enableEnhancedMonitoring(b -> b.streamName("mon")
                    .shardLevelMetrics(MetricsName.INCOMING_BYTES));
            assertThat(first.streamName()).isEqualTo("mon");
            assertThat(first.streamARN()).isEqualTo(ARN_PREFIX + "mon");
            assertThat(first.currentShardLevelMetricsAsStrings()).isEmpty();
            assertThat(first.desiredShardLevelMetricsAsStrings()).containsExactly("IncomingBytes");

            EnableEnhancedMonitoringResponse all = kinesis.enableEnhancedMonitoring(b -> b.streamARN(ARN_PREFIX + "mon")
                    .shardLevelMetrics(MetricsName.ALL));
            assertThat(all.currentShardLevelMetricsAsStrings()).containsExactly("IncomingBytes");
            assertThat(all.desiredShardLevelMetricsAsStrings()).containsExactlyInAnyOrderElementsOf(ALL_METRICS);
            assertThat(kinesis.describeStream(b -> b.streamName("mon")).streamDescription().enhancedMonitoring())
                    .singleElement().satisfies(m -> assertThat(m.shardLevelMetricsAsStrings())
                            .containsExactlyInAnyOrderElementsOf(ALL_METRICS));

            DisableEnhancedMonitoringResponse some = kinesis.disableEnhancedMonitoring(b -> b.streamName("mon")
                    .shardLevelMetrics(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_BYTES));
            assertThat(some.currentShardLevelMetricsAsStrings()).containsExactlyInAnyOrderElementsOf(ALL_METRICS);
            assertThat(some.desiredShardLevelMetricsAsStrings()).containsExactlyInAnyOrder("IncomingRecords",
                    "OutgoingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
                    "IteratorAgeMilliseconds");

            DisableEnhancedMonitoringResponse none = kinesis.disableEnhancedMonitoring(b -> b.streamName("mon")
                    .shardLevelMetrics(MetricsName.ALL));
            assertThat(none.currentShardLevelMetricsAsStrings()).hasSize(5).doesNotContain("ALL");
            assertThat(none.desiredShardLevelMetricsAsStrings()).isEmpty();
            assertThat(summary(kinesis, "mon").enhancedMonitoring()).singleElement()
                    .satisfies(m -> assertThat(m.shardLevelMetrics()).isEmpty());
        }
    }

    // ---- limits and capacity modes ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void describeLimitsCountsOpenShardsAgainstTheConfiguredShardLimit(Clients.Kind kind) {
        start("--shard-limit", "10");
        try (KinesisClient kinesis = client(kind)) {
            DescribeLimitsResponse empty = kinesis.describeLimits(b -> { });
            assertThat(empty.shardLimit()).isEqualTo(10);
            assertThat(empty.openShardCount()).isZero();
            assertThat(empty.onDemandStreamCount()).isZero();
            assertThat(empty.onDemandStreamCountLimit()).isEqualTo(50);

            kinesis.createStream(b -> b.streamName("three").shardCount(3));
            kinesis.createStream(b -> b.streamName("od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
            DescribeLimitsResponse used = kinesis.describeLimits(b -> { });
            assertThat(used.openShardCount()).isEqualTo(7);
            assertThat(used.onDemandStreamCount()).isEqualTo(1);

            LimitExceededException create = thrown(LimitExceededException.class,
                    () -> kinesis.createStream(b -> b.streamName("four").shardCount(4)));
            assertThat(Kit.error(create)).isEqualTo("LimitExceededException: This request would exceed the shard limit "
                    + "for the account 000000000000 in us-east-1. Current shard count for the account: 7. Limit: 10. "
                    + "Number of additional shards that would have resulted from this request: 4. Refer to the AWS "
                    + "Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for "
                    + "current limits and how to request higher limits.");
            assertThat(kinesis.listStreams(b -> { }).streamNames()).containsExactly("od", "three");

            kinesis.createStream(b -> b.streamName("three-more").shardCount(3));
            LimitExceededException split = thrown(LimitExceededException.class,
                    () -> kinesis.splitShard(b -> b.streamName("three").shardToSplit(shardId(0)).newStartingHashKey("1000")));
            assertThat(Kit.error(split)).isEqualTo("LimitExceededException: This request would exceed the shard limit "
                    + "for the account 000000000000 in us-east-1. Current shard count for the account: 10. Limit: 10. "
                    + "Number of additional shards that would have resulted from this request: 1. Refer to the AWS "
                    + "Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for "
                    + "current limits and how to request higher limits.");

            kinesis.deleteStream(b -> b.streamName("od"));
            DescribeLimitsResponse after = kinesis.describeLimits(b -> { });
            assertThat(after.openShardCount()).isEqualTo(6);
            assertThat(after.onDemandStreamCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void updateStreamModeSwitchesCapacityThroughUpdating(Clients.Kind kind) {
        start("--update-stream-delay", "1s");
        try (KinesisClient kinesis = client(kind)) {
            pinClock();
            kinesis.createStream(b -> b.streamName("mode").shardCount(2));
            String arn = ARN_PREFIX + "mode";
            kinesis.updateStreamMode(b -> b.streamARN(arn).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
            StreamDescriptionSummary updating = summary(kinesis, "mode");
            assertThat(updating.streamStatus()).isEqualTo(StreamStatus.UPDATING);
            // Reads and writes go on while UPDATING.
            kinesis.putRecord(b -> b.streamName("mode").partitionKey("k").data(SdkBytes.fromUtf8String("during")));
            server.clock().advance(Duration.ofSeconds(1));
            StreamDescriptionSummary done = summary(kinesis, "mode");
            assertThat(done.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(done.streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);
            assertThat(done.openShardCount()).isEqualTo(2);
            assertThat(kinesis.listStreams(b -> { }).streamSummaries()).singleElement()
                    .satisfies(s -> assertThat(s.streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND));
            assertThat(kinesis.describeLimits(b -> { }).onDemandStreamCount()).isEqualTo(1);

            kinesis.updateStreamMode(b -> b.streamARN(arn).streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED)));
            server.clock().advance(Duration.ofSeconds(1));
            assertThat(summary(kinesis, "mode").streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
            assertThat(kinesis.describeLimits(b -> { }).onDemandStreamCount()).isZero();
        }
    }

    // ---- consumers ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void consumerLifecycleFromCreatingToGone(Clients.Kind kind) {
        start("--create-stream-delay", "1s", "--delete-stream-delay", "1s");
        try (KinesisClient kinesis = client(kind)) {
            Instant t0 = pinClock();
            kinesis.createStream(b -> b.streamName("fan").shardCount(1));
            server.clock().advance(Duration.ofSeconds(1));
            Instant registered = t0.plusSeconds(1);
            String streamArn = ARN_PREFIX + "fan";

            Consumer c = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c1")).consumer();
            String arn = streamArn + "/consumer/c1:" + registered.getEpochSecond();
            assertThat(c.consumerName()).isEqualTo("c1");
            assertThat(c.consumerARN()).isEqualTo(arn);
            assertThat(c.consumerStatus()).isEqualTo(ConsumerStatus.CREATING);
            assertThat(c.consumerCreationTimestamp()).isEqualTo(registered);
            assertThat(describeConsumer(kinesis, arn).consumerStatus()).isEqualTo(ConsumerStatus.CREATING);

            server.clock().advance(Duration.ofSeconds(1));
            ConsumerDescription byArn = describeConsumer(kinesis, arn);
            assertThat(byArn.consumerStatus()).isEqualTo(ConsumerStatus.ACTIVE);
            assertThat(byArn.consumerName()).isEqualTo("c1");
            assertThat(byArn.consumerARN()).isEqualTo(arn);
            assertThat(byArn.streamARN()).isEqualTo(streamArn);
            assertThat(byArn.consumerCreationTimestamp()).isEqualTo(registered);
            assertThat(kinesis.describeStreamConsumer(b -> b.streamARN(streamArn).consumerName("c1"))
                    .consumerDescription()).isEqualTo(byArn);
            assertThat(summary(kinesis, "fan").consumerCount()).isEqualTo(1);

            ResourceInUseException dup = thrown(ResourceInUseException.class,
                    () -> kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c1")));
            assertThat(Kit.error(dup)).isEqualTo("ResourceInUseException: Consumer c1 under stream fan already exists "
                    + "for account 000000000000.");

            ResourceInUseException delete = thrown(ResourceInUseException.class,
                    () -> kinesis.deleteStream(b -> b.streamName("fan")));
            assertThat(delete.awsErrorDetails().errorMessage())
                    .startsWith("DeleteStream can\u2019t delete 000000000000:fan because there are consumers");
            assertThat(Kit.error(delete)).isEqualTo("ResourceInUseException: DeleteStream can\u2019t delete "
                    + "000000000000:fan because there are consumers associated with this data stream. To delete fan "
                    + "anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the "
                    + "consumers that are associated with it.");

            kinesis.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("c1"));
            assertThat(describeConsumer(kinesis, arn).consumerStatus()).isEqualTo(ConsumerStatus.DELETING);
            server.clock().advance(Duration.ofSeconds(1));
            ResourceNotFoundException gone = thrown(ResourceNotFoundException.class, () -> describeConsumer(kinesis, arn));
            assertThat(Kit.error(gone)).isEqualTo("ResourceNotFoundException: Consumer " + arn
                    + " under account 000000000000 not found.");
            ResourceNotFoundException byName = thrown(ResourceNotFoundException.class,
                    () -> kinesis.describeStreamConsumer(b -> b.streamARN(streamArn).consumerName("c1")));
            assertThat(Kit.error(byName)).isEqualTo("ResourceNotFoundException: Consumer c1 under account "
                    + "000000000000 not found.");
            assertThat(kinesis.listStreamConsumers(b -> b.streamARN(streamArn)).consumers()).isEmpty();

            // Without consumers the stream deletes normally.
            kinesis.deleteStream(b -> b.streamName("fan"));
            assertThat(summary(kinesis, "fan").streamStatus()).isEqualTo(StreamStatus.DELETING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void listStreamConsumersPagesAndTheTwentyFirstIsRefused(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("fan").shardCount(1));
            String streamArn = ARN_PREFIX + "fan";
            for (int i = 20; i >= 1; i--) {
                String name = String.format("c%02d", i);
                kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(name));
            }
            LimitExceededException limit = thrown(LimitExceededException.class,
                    () -> kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c21")));
            assertThat(Kit.error(limit)).isEqualTo("LimitExceededException: Consumer limit of 20 has been reached for "
                    + "stream arn:aws:kinesis:us-east-1:000000000000:stream/fan.");

            List<String> names = new ArrayList<>();
            ListStreamConsumersResponse page = kinesis.listStreamConsumers(b -> b.streamARN(streamArn).maxResults(8));
            names.addAll(page.consumers().stream().map(Consumer::consumerName).toList());
            assertThat(page.consumers()).hasSize(8);
            int pages = 1;
            while (page.nextToken() != null) {
                String token = page.nextToken();
                page = kinesis.listStreamConsumers(b -> b.streamARN(streamArn).nextToken(token).maxResults(8));
                names.addAll(page.consumers().stream().map(Consumer::consumerName).toList());
                pages++;
            }
            assertThat(pages).isEqualTo(3);
            assertThat(names).containsExactlyElementsOf(IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> String.format("c%02d", i)).toList());
            assertThat(page.consumers()).allSatisfy(c -> {
                assertThat(c.consumerStatus()).isEqualTo(ConsumerStatus.ACTIVE);
                assertThat(c.consumerARN()).matches("arn:aws:kinesis:us-east-1:000000000000:stream/fan/consumer/c\\d\\d:\\d+");
            });

            // Deregistering one makes room for another; EnforceConsumerDeletion takes them all with the stream.
            kinesis.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("c07"));
            String arn21 = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c21"))
                    .consumer().consumerARN();
            kinesis.deleteStream(b -> b.streamName("fan").enforceConsumerDeletion(true));
            assertThat(kinesis.listStreams(b -> { }).streamNames()).isEmpty();
            ResourceNotFoundException gone = thrown(ResourceNotFoundException.class,
                    () -> describeConsumer(kinesis, arn21));
            assertThat(Kit.error(gone)).isEqualTo("ResourceNotFoundException: Consumer " + arn21
                    + " under account 000000000000 not found.");
        }
    }

    /** The model: "Registering a 6th consumer while there are 5 in a CREATING status results in a LimitExceededException." */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aSixthConsumerWhileFiveAreCreatingIsRefused(Clients.Kind kind) {
        start("--create-stream-delay", "1s");
        try (KinesisClient kinesis = client(kind)) {
            pinClock();
            kinesis.createStream(b -> b.streamName("fan").shardCount(1));
            server.clock().advance(Duration.ofSeconds(1));
            for (int i = 1; i <= 5; i++) {
                String name = "c" + i;
                kinesis.registerStreamConsumer(b -> b.streamARN(ARN_PREFIX + "fan").consumerName(name));
            }
            thrown(LimitExceededException.class,
                    () -> kinesis.registerStreamConsumer(b -> b.streamARN(ARN_PREFIX + "fan").consumerName("c6")));
            server.clock().advance(Duration.ofSeconds(1));
            kinesis.registerStreamConsumer(b -> b.streamARN(ARN_PREFIX + "fan").consumerName("c6"));
        }
    }

    // ---- resource policies and account settings ----------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void resourcePoliciesAreStoredPerStreamAndConsumer(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            String streamArn = ARN_PREFIX + "pol";
            kinesis.createStream(b -> b.streamName("pol").shardCount(1));
            String consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c"))
                    .consumer().consumerARN();
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(streamArn)).policy()).isEqualTo("{}");
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(consumerArn)).policy()).isEqualTo("{}");

            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + "\"arn:aws:iam::111111111111:root\"},\"Action\":\"kinesis:GetRecords\",\"Resource\":\""
                    + streamArn + "\"}]}";
            kinesis.putResourcePolicy(b -> b.resourceARN(streamArn).policy(policy));
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(streamArn)).policy()).isEqualTo(policy);
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(consumerArn)).policy()).isEqualTo("{}");
            kinesis.putResourcePolicy(b -> b.resourceARN(consumerArn).policy("{\"Version\":\"2012-10-17\"}"));
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(consumerArn)).policy())
                    .isEqualTo("{\"Version\":\"2012-10-17\"}");

            InvalidArgumentException notJson = thrown(InvalidArgumentException.class,
                    () -> kinesis.putResourcePolicy(b -> b.resourceARN(streamArn).policy("{not json")));
            assertThat(Kit.error(notJson)).isEqualTo("InvalidArgumentException: Policy document is not valid JSON.");
            InvalidArgumentException array = thrown(InvalidArgumentException.class,
                    () -> kinesis.putResourcePolicy(b -> b.resourceARN(streamArn).policy("[1]")));
            assertThat(Kit.error(array)).isEqualTo("InvalidArgumentException: Policy document is not a valid JSON object.");
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(streamArn)).policy()).isEqualTo(policy);

            kinesis.deleteResourcePolicy(b -> b.resourceARN(streamArn));
            kinesis.deleteResourcePolicy(b -> b.resourceARN(streamArn));
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(streamArn)).policy()).isEqualTo("{}");
            assertThat(kinesis.getResourcePolicy(b -> b.resourceARN(consumerArn)).policy())
                    .isEqualTo("{\"Version\":\"2012-10-17\"}");

            ResourceNotFoundException missing = thrown(ResourceNotFoundException.class,
                    () -> kinesis.getResourcePolicy(b -> b.resourceARN(ARN_PREFIX + "nope")));
            assertThat(Kit.error(missing)).isEqualTo("ResourceNotFoundException: Stream nope under account "
                    + "000000000000 not found.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void accountSettingsEnableAndScheduleTheDisable(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            Instant t0 = pinClock();
            MinimumThroughputBillingCommitmentOutput initial = kinesis.describeAccountSettings(b -> { })
                    .minimumThroughputBillingCommitment();
            assertThat(initial.status()).isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.DISABLED);
            assertThat(initial.startedAt()).isNull();

            MinimumThroughputBillingCommitmentOutput on = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)))
                    .minimumThroughputBillingCommitment();
            assertThat(on.status()).isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.ENABLED);
            assertThat(on.startedAt()).isEqualTo(t0);
            assertThat(on.earliestAllowedEndAt()).isAfter(t0);
            assertThat(kinesis.describeAccountSettings(b -> { }).minimumThroughputBillingCommitment()).isEqualTo(on);

            server.clock().advance(Duration.ofHours(1));
            MinimumThroughputBillingCommitmentOutput pending = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.DISABLED)))
                    .minimumThroughputBillingCommitment();
            assertThat(pending.status())
                    .isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END);
            assertThat(pending.startedAt()).isEqualTo(t0);
            assertThat(pending.earliestAllowedEndAt()).isEqualTo(on.earliestAllowedEndAt());

            // Enabling again before the earliest end cancels the pending disable.
            MinimumThroughputBillingCommitmentOutput again = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)))
                    .minimumThroughputBillingCommitment();
            assertThat(again.status()).isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.ENABLED);
            assertThat(again.startedAt()).isEqualTo(t0);
            assertThat(again.endedAt()).isNull();
        }
    }

    /** The model: "Commitments have a minimum duration of 24 hours that must be honored before they can be disabled." */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void billingCommitmentLastsTwentyFourHoursAtLeast(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            Instant t0 = pinClock();
            MinimumThroughputBillingCommitmentOutput on = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)))
                    .minimumThroughputBillingCommitment();
            assertThat(on.earliestAllowedEndAt()).isEqualTo(t0.plus(Duration.ofHours(24)));
            server.clock().advance(Duration.ofHours(25));
            MinimumThroughputBillingCommitmentOutput off = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.DISABLED)))
                    .minimumThroughputBillingCommitment();
            assertThat(off.status()).isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.DISABLED);
            assertThat(off.endedAt()).isEqualTo(t0.plus(Duration.ofHours(25)));
        }
    }

    /** A disable scheduled for the earliest allowed end takes effect once that time has passed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void scheduledDisableTakesEffectAtTheEarliestAllowedEnd(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            pinClock();
            MinimumThroughputBillingCommitmentOutput on = kinesis.updateAccountSettings(b -> b
                    .minimumThroughputBillingCommitment(c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)))
                    .minimumThroughputBillingCommitment();
            server.clock().advance(Duration.ofHours(1));
            kinesis.updateAccountSettings(b -> b.minimumThroughputBillingCommitment(
                    c -> c.status(MinimumThroughputBillingCommitmentInputStatus.DISABLED)));
            server.clock().pin(on.earliestAllowedEndAt().plusSeconds(1));
            assertThat(kinesis.describeAccountSettings(b -> { }).minimumThroughputBillingCommitment().status())
                    .isEqualTo(MinimumThroughputBillingCommitmentOutputStatus.DISABLED);
        }
    }

    // ---- record size, warm throughput, record distribution -----------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void maxRecordSizeIsOneMibUntilRaised(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("big").shardCount(1));
            String arn = ARN_PREFIX + "big";
            assertThat(summary(kinesis, "big").maxRecordSizeInKiB()).isEqualTo(1024);
            SdkBytes oneMib = SdkBytes.fromByteArray(new byte[1024 * 1024]);
            SdkBytes overOneMib = SdkBytes.fromByteArray(new byte[1024 * 1024 + 1]);

            ValidationException single = thrown(ValidationException.class,
                    () -> kinesis.putRecord(b -> b.streamName("big").partitionKey("k").data(overOneMib)));
            assertThat(Kit.error(single)).isEqualTo("ValidationException: 1 validation error detected: Value at 'data' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 1048576");
            ValidationException batch = thrown(ValidationException.class,
                    () -> kinesis.putRecords(b -> b.streamName("big").records(entry("k", "small"),
                            PutRecordsRequestEntry.builder().partitionKey("k").data(overOneMib).build())));
            assertThat(Kit.error(batch)).isEqualTo("ValidationException: 1 validation error detected: Value at "
                    + "'records.2.member.data' failed to satisfy constraint: Member must have length less than or "
                    + "equal to 1048576");
            assertThat(Kit.readAll(kinesis, "big", shardId(0))).isEmpty();
            kinesis.putRecord(b -> b.streamName("big").partitionKey("k").data(oneMib));

            ValidationException low = thrown(ValidationException.class,
                    () -> kinesis.updateMaxRecordSize(b -> b.streamARN(arn).maxRecordSizeInKiB(1023)));
            assertThat(Kit.error(low)).isEqualTo("ValidationException: 1 validation error detected: Value '1023' at "
                    + "'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value greater than or equal to 1024");

            kinesis.updateMaxRecordSize(b -> b.streamARN(arn).maxRecordSizeInKiB(2048));
            assertThat(summary(kinesis, "big").maxRecordSizeInKiB()).isEqualTo(2048);
            byte[] oneAndHalf = new byte[1536 * 1024];
            oneAndHalf[oneAndHalf.length - 1] = 7;
            kinesis.putRecord(b -> b.streamName("big").partitionKey("k").data(SdkBytes.fromByteArray(oneAndHalf)));
            ValidationException overTwo = thrown(ValidationException.class,
                    () -> kinesis.putRecord(b -> b.streamName("big").partitionKey("k")
                            .data(SdkBytes.fromByteArray(new byte[2 * 1024 * 1024 + 1]))));
            assertThat(Kit.error(overTwo)).isEqualTo("ValidationException: 1 validation error detected: Value at 'data' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 2097152");

            List<Record> read = Kit.readAll(kinesis, "big", shardId(0));
            assertThat(read).extracting(r -> r.data().asByteArray().length).containsExactly(1024 * 1024, 1536 * 1024);
            assertThat(read.get(1).data().asByteArray()).isEqualTo(oneAndHalf);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void warmThroughputIsForOnDemandStreamsOnly(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.updateAccountSettings(b -> b.minimumThroughputBillingCommitment(
                    c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)));
            kinesis.createStream(b -> b.streamName("prov").shardCount(1));
            kinesis.createStream(b -> b.streamName("od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));

            InvalidArgumentException prov = thrown(InvalidArgumentException.class,
                    () -> kinesis.updateStreamWarmThroughput(b -> b.streamName("prov").warmThroughputMiBps(100)));
            assertThat(Kit.error(prov)).isEqualTo("InvalidArgumentException: Warm throughput can only be configured "
                    + "for streams in ON_DEMAND mode.");

            var warm = kinesis.updateStreamWarmThroughput(b -> b.streamARN(ARN_PREFIX + "od").warmThroughputMiBps(100));
            assertThat(warm.streamName()).isEqualTo("od");
            assertThat(warm.streamARN()).isEqualTo(ARN_PREFIX + "od");
            assertThat(warm.warmThroughput().targetMiBps()).isEqualTo(100);
            assertThat(warm.warmThroughput().currentMiBps()).isEqualTo(100);
            assertThat(summary(kinesis, "od").warmThroughput().targetMiBps()).isEqualTo(100);
            assertThat(summary(kinesis, "prov").warmThroughput()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void autoDistributionTakesRecordsWithoutPartitionKeysOnOnDemandStreamsOnly(Clients.Kind kind) {
        start();
        BodyEdit auto = (op, body) -> {
            if (op.equals("CreateStream") && body.path("StreamName").asText().startsWith("auto")) {
                body.put("RecordDistributionStrategy", "AUTO");
            }
            if (op.equals("UpdateStreamMode") && body.path("StreamARN").asText().endsWith("/keyed")) {
                body.remove("StreamModeDetails");
                body.put("RecordDistributionStrategy", "AUTO");
                return "UpdateStreamRecordDistributionStrategy";
            }
            return op;
        };
        try (KinesisClient kinesis = open(kind, "AKIAIOSFODNN7EXAMPLE", Region.US_EAST_1, true, auto)) {
            kinesis.createStream(b -> b.streamName("auto-od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
            PutRecordResponse one = kinesis.putRecord(b -> b.streamName("auto-od").data(SdkBytes.fromUtf8String("no key")));
            assertThat(one.shardId()).matches("shardId-00000000000[0-3]");
            List<PutRecordsRequestEntry> entries = IntStream.range(0, 200).mapToObj(i -> PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromUtf8String("r" + i)).build()).toList();
            PutRecordsResponse many = kinesis.putRecords(b -> b.streamName("auto-od").records(entries));
            assertThat(many.failedRecordCount()).isZero();
            // Spread evenly: 200 records all on fewer than 4 shards has odds of (3/4)^200 * 4.
            assertThat(many.records().stream().map(PutRecordsResultEntry::shardId).collect(Collectors.toSet())).hasSize(4);

            InvalidArgumentException provisioned = thrown(InvalidArgumentException.class,
                    () -> kinesis.createStream(b -> b.streamName("auto-prov").shardCount(1)));
            assertThat(Kit.error(provisioned)).isEqualTo("InvalidArgumentException: RecordDistributionStrategy AUTO is "
                    + "only supported for streams in ON_DEMAND mode.");
            assertThat(kinesis.listStreams(b -> { }).streamNames()).containsExactly("auto-od");

            kinesis.createStream(b -> b.streamName("keyed").shardCount(1));
            InvalidArgumentException update = thrown(InvalidArgumentException.class,
                    () -> kinesis.updateStreamMode(b -> b.streamARN(ARN_PREFIX + "keyed")
                            .streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED))));
            assertThat(Kit.error(update)).isEqualTo("InvalidArgumentException: RecordDistributionStrategy AUTO is "
                    + "only supported for streams in ON_DEMAND mode.");
            ValidationException noKey = thrown(ValidationException.class,
                    () -> kinesis.putRecord(b -> b.streamName("keyed").data(SdkBytes.fromUtf8String("no key"))));
            assertThat(Kit.error(noKey)).isEqualTo("ValidationException: 1 validation error detected: Value null at "
                    + "'partitionKey' failed to satisfy constraint: Member must not be null");
        }
    }

    // ---- DryRun ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void dryRunChecksEverythingAndDoesNothing(Clients.Kind kind) {
        start();
        BodyEdit dryRun = (op, body) -> {
            if (Set.of("PutRecord", "PutRecords", "GetRecords", "GetShardIterator").contains(op)) {
                body.put("DryRun", true);
            }
            return op;
        };
        try (KinesisClient kinesis = client(kind);
             KinesisClient dry = open(kind, "AKIAIOSFODNN7EXAMPLE", Region.US_EAST_1, false, dryRun)) {
            kinesis.createStream(b -> b.streamName("dry").shardCount(1));
            kinesis.putRecord(b -> b.streamName("dry").partitionKey("k").data(SdkBytes.fromUtf8String("real")));
            String iterator = kinesis.getShardIterator(b -> b.streamName("dry").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

            List<ThrowingCallable> calls = List.of(
                    () -> dry.putRecord(b -> b.streamName("dry").partitionKey("k").data(SdkBytes.fromUtf8String("x"))),
                    () -> dry.putRecords(b -> b.streamName("dry").records(entry("k", "y"), entry("j", "z"))),
                    () -> dry.getShardIterator(b -> b.streamName("dry").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)),
                    () -> dry.getRecords(b -> b.shardIterator(iterator)));
            for (int i = 0; i < calls.size(); i++) {
                KinesisException e = thrown(KinesisException.class, calls.get(i));
                assertThat(e.getClass()).as("call %d", i).isEqualTo(KinesisException.class);
                assertThat(Kit.error(e)).as("call %d", i).isEqualTo("DryRunOperationException: " + DRY_RUN_TEXT);
            }

            // A request that would fail gets its own error, not the dry-run one.
            ResourceNotFoundException missing = thrown(ResourceNotFoundException.class,
                    () -> dry.putRecord(b -> b.streamName("nope").partitionKey("k").data(SdkBytes.fromUtf8String("x"))));
            assertThat(Kit.error(missing)).isEqualTo("ResourceNotFoundException: Stream nope under account 000000000000 not found.");

            assertThat(texts(kinesis.getRecords(b -> b.shardIterator(iterator)).records())).containsExactly("real");
            assertThat(texts(Kit.readAll(kinesis, "dry", shardId(0)))).containsExactly("real");
        }
    }

    // ---- addressing, accounts and regions -------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void streamArnAddressesTheNewOperations(Clients.Kind kind) {
        start();
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("byarn").shardCount(1));
            String arn = ARN_PREFIX + "byarn";
            kinesis.addTagsToStream(b -> b.streamARN(arn).tags(Map.of("a", "1")));
            assertThat(tags(kinesis.listTagsForStream(b -> b.streamARN(arn)))).containsExactly("a=1");
            kinesis.removeTagsFromStream(b -> b.streamARN(arn).tagKeys("a"));
            assertThat(kinesis.listTagsForStream(b -> b.streamARN(arn)).tags()).isEmpty();
            kinesis.increaseStreamRetentionPeriod(b -> b.streamARN(arn).retentionPeriodHours(36));
            assertThat(kinesis.enableEnhancedMonitoring(b -> b.streamARN(arn).shardLevelMetrics(MetricsName.OUTGOING_BYTES))
                    .desiredShardLevelMetricsAsStrings()).containsExactly("OutgoingBytes");
            kinesis.startStreamEncryption(b -> b.streamARN(arn).encryptionType(EncryptionType.KMS).keyId("alias/k"));
            StreamDescriptionSummary s = kinesis.describeStreamSummary(b -> b.streamARN(arn)).streamDescriptionSummary();
            assertThat(s.retentionPeriodHours()).isEqualTo(36);
            assertThat(s.keyId()).isEqualTo("alias/k");

            InvalidArgumentException conflict = thrown(InvalidArgumentException.class,
                    () -> kinesis.addTagsToStream(b -> b.streamARN(arn).streamName("other").tags(Map.of("a", "1"))));
            assertThat(Kit.error(conflict)).isEqualTo("InvalidArgumentException: StreamARN " + arn
                    + " and StreamName other do not refer to the same stream.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void accountsAndRegionsAreIsolated(Clients.Kind kind) {
        start();
        try (KinesisClient main = open(kind, "AKIAEXAMPLE", Region.US_EAST_1, true);
             KinesisClient other = open(kind, "111111111111", Region.US_EAST_1, true);
             KinesisClient europe = open(kind, "AKIAEXAMPLE", Region.EU_WEST_1, true)) {
            main.createStream(b -> b.streamName("same").shardCount(1));
            other.createStream(b -> b.streamName("same").shardCount(2));
            other.createStream(b -> b.streamName("only-other").shardCount(1));
            europe.createStream(b -> b.streamName("same").shardCount(3));

            assertThat(main.listStreams(b -> { }).streamNames()).containsExactly("same");
            assertThat(other.listStreams(b -> { }).streamNames()).containsExactly("only-other", "same");
            assertThat(europe.listStreams(b -> { }).streamNames()).containsExactly("same");
            assertThat(summaryOf(main).openShardCount()).isEqualTo(1);
            assertThat(summaryOf(other).openShardCount()).isEqualTo(2);
            assertThat(summaryOf(europe).openShardCount()).isEqualTo(3);
            assertThat(summaryOf(main).streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/same");
            assertThat(summaryOf(other).streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:111111111111:stream/same");
            assertThat(summaryOf(europe).streamARN()).isEqualTo("arn:aws:kinesis:eu-west-1:000000000000:stream/same");
            assertThat(main.describeLimits(b -> { }).openShardCount()).isEqualTo(1);
            assertThat(other.describeLimits(b -> { }).openShardCount()).isEqualTo(3);
            assertThat(europe.describeLimits(b -> { }).openShardCount()).isEqualTo(3);

            Instant now = pinClock();
            String consumer = other.registerStreamConsumer(b -> b
                    .streamARN("arn:aws:kinesis:us-east-1:111111111111:stream/same").consumerName("c"))
                    .consumer().consumerARN();
            assertThat(consumer).isEqualTo("arn:aws:kinesis:us-east-1:111111111111:stream/same/consumer/c:"
                    + now.getEpochSecond());
            ResourceNotFoundException notHere = thrown(ResourceNotFoundException.class,
                    () -> other.describeStream(b -> b.streamName("nowhere")));
            assertThat(Kit.error(notHere)).isEqualTo("ResourceNotFoundException: Stream nowhere under account "
                    + "111111111111 not found.");

            main.addTagsToStream(b -> b.streamName("same").tags(Map.of("who", "main")));
            assertThat(other.listTagsForStream(b -> b.streamName("same")).tags()).isEmpty();
            assertThat(europe.listTagsForStream(b -> b.streamName("same")).tags()).isEmpty();
            main.putRecord(b -> b.streamName("same").partitionKey("k").data(SdkBytes.fromUtf8String("main")));
            assertThat(Kit.readAll(europe, "same", shardId(0))).isEmpty();
            assertThat(Kit.readAll(other, "same", shardId(0))).isEmpty();
            assertThat(texts(Kit.readAll(main, "same", shardId(0)))).containsExactly("main");

            main.deleteStream(b -> b.streamName("same"));
            assertThat(other.listStreams(b -> { }).streamNames()).containsExactly("only-other", "same");
            assertThat(europe.listStreams(b -> { }).streamNames()).containsExactly("same");
        }
    }

    private static StreamDescriptionSummary summaryOf(KinesisClient kinesis) {
        return summary(kinesis, "same");
    }

    // ---- throughput, forced throttles, signatures ---------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void throughputLimitsAdmitExactlyOneThousandRecordsPerShardSecond(Clients.Kind kind) {
        start("--throughput-limits");
        try (KinesisClient kinesis = Clients.open(kind, server.endpoint(), false)) {
            kinesis.createStream(b -> b.streamName("thr").shardCount(1));
            pinClock();
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (int call = 0; call < 3; call++) {
                int base = call * 500;
                List<PutRecordsRequestEntry> entries = IntStream.range(base, base + 500)
                        .mapToObj(i -> entry("k", "r" + i)).toList();
                PutRecordsResponse r = kinesis.putRecords(b -> b.streamName("thr").records(entries));
                results.addAll(r.records());
                failed += r.failedRecordCount();
            }
            assertThat(results).hasSize(1500);
            assertThat(failed).isEqualTo(500);
            assertThat(results.subList(0, 1000)).allSatisfy(r -> {
                assertThat(r.errorCode()).isNull();
                assertThat(r.shardId()).isEqualTo(shardId(0));
            });
            assertThat(results.subList(1000, 1500)).allSatisfy(r -> {
                assertThat(r.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
                assertThat(r.errorMessage()).isEqualTo("Rate exceeded for shard shardId-000000000000 in stream thr "
                        + "under account 000000000000.");
                assertThat(r.sequenceNumber()).isNull();
                assertThat(r.shardId()).isNull();
            });
            ProvisionedThroughputExceededException single = thrown(ProvisionedThroughputExceededException.class,
                    () -> kinesis.putRecord(b -> b.streamName("thr").partitionKey("k").data(SdkBytes.fromUtf8String("x"))));
            assertThat(Kit.error(single)).isEqualTo("ProvisionedThroughputExceededException: Rate exceeded for shard "
                    + "shardId-000000000000 in stream thr under account 000000000000.");

            server.clock().advance(Duration.ofSeconds(1));
            List<PutRecordsRequestEntry> next = IntStream.range(0, 500).mapToObj(i -> entry("k", "s" + i)).toList();
            assertThat(kinesis.putRecords(b -> b.streamName("thr").records(next)).failedRecordCount()).isZero();
            // 1,500 admitted in all; nothing of the refused 500 was written.
            String it = kinesis.getShardIterator(b -> b.streamName("thr").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertThat(kinesis.getRecords(b -> b.shardIterator(it)).records()).hasSize(1500);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void forcedThrottleRefusesTheNextCallsOnThatShardOnly(Clients.Kind kind) throws Exception {
        start();
        try (KinesisClient kinesis = Clients.open(kind, server.endpoint(), false)) {
            kinesis.createStream(b -> b.streamName("s").shardCount(2));
            String shard1Key = Kit.evenRanges(2).get(1).startingHashKey();
            HttpResponse<String> forced = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.endpoint().resolve("/_tributary/faults/kinesis/throttle"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"streamName\":\"s\",\"shardId\":\"shardId-000000000000\",\"calls\":2}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forced.statusCode()).isEqualTo(200);

            String expected = "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000 "
                    + "in stream s under account 000000000000.";
            // The other shard is not affected.
            kinesis.putRecord(b -> b.streamName("s").partitionKey("k").explicitHashKey(shard1Key)
                    .data(SdkBytes.fromUtf8String("other shard")));
            assertThat(Kit.error(thrown(ProvisionedThroughputExceededException.class,
                    () -> kinesis.putRecord(b -> b.streamName("s").partitionKey("k").explicitHashKey("0")
                            .data(SdkBytes.fromUtf8String("x")))))).isEqualTo(expected);
            assertThat(Kit.error(thrown(ProvisionedThroughputExceededException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("s").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))))).isEqualTo(expected);

            kinesis.putRecord(b -> b.streamName("s").partitionKey("k").explicitHashKey("0")
                    .data(SdkBytes.fromUtf8String("third")));
            assertThat(texts(Kit.readAll(kinesis, "s", shardId(0)))).containsExactly("third");
            assertThat(texts(Kit.readAll(kinesis, "s", shardId(1)))).containsExactly("other shard");
        }
    }

    /** The blocking clients of the matrix: Apache and URLConnection, each with CBOR and JSON. */
    static Stream<Clients.Kind> blockingKinds() {
        return Clients.kinds().filter(k -> k.transport() != Clients.Transport.NETTY);
    }

    static Stream<Clients.Kind> nettyKinds() {
        return Clients.kinds().filter(k -> k.transport() == Clients.Transport.NETTY);
    }

    /**
     * Over HTTP/2 the host travels as the {@code :authority} pseudo-header, not as a Host header;
     * a verifier that builds the canonical request from the Host header alone computes another
     * signature than the SDK did.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nettyKinds")
    void verifiedSignaturesAdmitTheHttp2Client(Clients.Kind kind) {
        verifiedSignaturesAdmitOnlyKnownKeysWithTheRightSecret(kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockingKinds")
    void verifiedSignaturesAdmitOnlyKnownKeysWithTheRightSecret(Clients.Kind kind) {
        start("--verify-signatures", "--credentials", "AKIDGOOD:secret1");
        try (KinesisClient good = open(kind, "AKIDGOOD", "secret1", Region.US_EAST_1, false);
             KinesisClient wrongSecret = open(kind, "AKIDGOOD", "secret2", Region.US_EAST_1, false);
             KinesisClient stranger = open(kind, "AKIDBAD", "secret1", Region.US_EAST_1, false)) {
            good.createStream(b -> b.streamName("signed").shardCount(1));
            good.putRecord(b -> b.streamName("signed").partitionKey("k").data(SdkBytes.fromUtf8String("ok")));
            assertThat(good.listStreams(b -> { }).streamNames()).containsExactly("signed");

            KinesisException bad = thrown(KinesisException.class, () -> wrongSecret.listStreams(b -> { }));
            assertThat(Kit.error(bad)).isEqualTo("InvalidSignatureException: The request signature we calculated does "
                    + "not match the signature you provided. Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details.");
            KinesisException unknown = thrown(KinesisException.class,
                    () -> stranger.putRecord(b -> b.streamName("signed").partitionKey("k").data(SdkBytes.fromUtf8String("no"))));
            assertThat(Kit.error(unknown)).isEqualTo("UnrecognizedClientException: The security token included in "
                    + "the request is invalid.");
            assertThat(texts(Kit.readAll(good, "signed", shardId(0)))).containsExactly("ok");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * Edits a request's marshalled body before it is signed, for members SDK 2.52 does not model.
     * Returns the operation to call instead (usually {@code operation} itself).
     */
    @FunctionalInterface
    interface BodyEdit {
        String edit(String operation, ObjectNode body);
    }

    /** Applies a {@link BodyEdit} to the CBOR or JSON body and fixes X-Amz-Target and Content-Length. */
    private static final class BodyEditor implements ExecutionInterceptor {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
        private final BodyEdit edit;

        BodyEditor(BodyEdit edit) {
            this.edit = edit;
        }

        /** One edit per execution, the first hook to run computes it (the SDK calls the content hooks first). */
        private record Edited(String target, byte[] body) {
        }

        private static final ExecutionAttribute<Edited> RESULT = new ExecutionAttribute<>("tributary.edit");

        private Edited edited(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            Edited done = attributes.getAttribute(RESULT);
            if (done != null) {
                return done;
            }
            SdkHttpRequest request = context.httpRequest();
            String target = request.firstMatchingHeader("X-Amz-Target").orElseThrow();
            String prefix = target.substring(0, target.indexOf('.') + 1);
            boolean cbor = request.firstMatchingHeader("Content-Type").orElse("").contains("cbor");
            ObjectMapper mapper = cbor ? CBOR : JSON;
            try (InputStream in = context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
                ObjectNode body = (ObjectNode) mapper.readTree(in.readAllBytes());
                String operation = edit.edit(target.substring(prefix.length()), body);
                Edited result = new Edited(prefix + operation, mapper.writeValueAsBytes(body));
                attributes.putAttribute(RESULT, result);
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<AsyncRequestBody> modifyAsyncHttpContent(Context.ModifyHttpRequest context,
                                                                 ExecutionAttributes attributes) {
            if (context.asyncRequestBody().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(AsyncRequestBody.fromBytes(edited(context, attributes).body()));
        }

        @Override
        public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return Optional.of(RequestBody.fromBytes(edited(context, attributes).body()));
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            Edited e = edited(context, attributes);
            return context.httpRequest().toBuilder().putHeader("X-Amz-Target", e.target())
                    .putHeader("Content-Length", Integer.toString(e.body().length)).build();
        }
    }

    private KinesisClient open(Clients.Kind kind, String accessKey, Region region, boolean retries) {
        return open(kind, accessKey, "secret", region, retries, null);
    }

    private KinesisClient open(Clients.Kind kind, String accessKey, Region region, boolean retries, BodyEdit edit) {
        return open(kind, accessKey, "secret", region, retries, edit);
    }

    private KinesisClient open(Clients.Kind kind, String accessKey, String secret, Region region, boolean retries) {
        return open(kind, accessKey, secret, region, retries, null);
    }

    /**
     * A client of the matrix with its own credentials and region, optionally editing request
     * bodies. Built like {@link Clients#open}, with {@code aws.cborEnabled} set while building.
     */
    private KinesisClient open(Clients.Kind kind, String accessKey, String secret, Region region, boolean retries,
                               BodyEdit edit) {
        URI endpoint = server.endpoint();
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret));
        synchronized (BUILD_LOCK) {
            String previous = System.getProperty("aws.cborEnabled");
            System.setProperty("aws.cborEnabled", Boolean.toString(kind.cbor()));
            try {
                java.util.function.Consumer<software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder>
                        overrides = c -> {
                            c.apiCallTimeout(Duration.ofSeconds(60));
                            if (!retries) {
                                c.retryStrategy(AwsRetryStrategy.doNotRetry());
                            }
                            if (edit != null) {
                                c.addExecutionInterceptor(new BodyEditor(edit));
                            }
                        };
                switch (kind.transport()) {
                    case NETTY: {
                        NioEventLoopGroup loop = new NioEventLoopGroup(2);
                        KinesisAsyncClient async = KinesisAsyncClient.builder().region(region)
                                .credentialsProvider(credentials).endpointOverride(endpoint)
                                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                                        .eventLoopGroup(SdkEventLoopGroup.create(loop)))
                                .overrideConfiguration(overrides).build();
                        return Clients.syncView(async,
                                () -> loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
                    }
                    case APACHE:
                        return KinesisClient.builder().region(region).credentialsProvider(credentials)
                                .endpointOverride(endpoint).httpClientBuilder(ApacheHttpClient.builder())
                                .overrideConfiguration(overrides).build();
                    case URL_CONNECTION:
                        return KinesisClient.builder().region(region).credentialsProvider(credentials)
                                .endpointOverride(endpoint).httpClientBuilder(UrlConnectionHttpClient.builder())
                                .overrideConfiguration(overrides).build();
                    default:
                        throw new IllegalArgumentException(kind.toString());
                }
            } finally {
                if (previous == null) {
                    System.clearProperty("aws.cborEnabled");
                } else {
                    System.setProperty("aws.cborEnabled", previous);
                }
            }
        }
    }

    private static StreamDescriptionSummary summary(KinesisClient kinesis, String stream) {
        return kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary();
    }

    private static ConsumerDescription describeConsumer(KinesisClient kinesis, String arn) {
        return kinesis.describeStreamConsumer(b -> b.consumerARN(arn)).consumerDescription();
    }

    private static List<String> tags(ListTagsForStreamResponse r) {
        return tagStrings(r.tags());
    }

    private static List<String> tagStrings(List<Tag> tags) {
        return tags.stream().map(t -> t.key() + "=" + t.value()).toList();
    }

    private static List<String> texts(List<Record> records) {
        return records.stream().map(r -> r.data().asUtf8String()).toList();
    }

    private static PutRecordsRequestEntry entry(String key, String text) {
        return PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(text)).build();
    }

    private static <T extends AwsServiceException> T thrown(Class<T> type, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        T e = type.cast(t);
        assertThat(e.statusCode()).isEqualTo(400);
        return e;
    }
}
