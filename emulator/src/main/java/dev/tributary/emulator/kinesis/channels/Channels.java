package dev.tributary.emulator.kinesis.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.store.api.StreamInfo;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kinesis channels (delivery from an on-demand stream to S3 or S3 Tables): their lifecycle
 * (CREATING -> ACTIVE -> UPDATING -> ACTIVE, DELETING -> gone, each after the configured delays on
 * the injected clock) and their configuration, kept as given and echoed in AWS's description form.
 * Kept in memory, per account and region; no data is delivered yet (documented).
 *
 * <p>Thread-safe.
 */
public final class Channels {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** A stream a channel reads, in AWS's ChannelStreamDescription form. */
    public record ChannelStream(String streamARN, Instant streamCreationTimestamp, JsonNode recordConfiguration) {
    }

    /** One channel. Mutable state is replaced as a whole under the registry's lock. */
    public record Channel(String account, String region, String name, String id, long createdMillis, String status,
                          long statusUntil, String roleArn, List<ChannelStream> streams, ObjectNode s3,
                          ObjectNode s3Tables, JsonNode encryption, ObjectNode logging) {
        public String arn() {
            return "arn:aws:kinesis:" + region + ":" + account + ":channel/" + name;
        }

        /** The status at {@code now}; null once a deletion has completed. */
        public String statusAt(long now) {
            if (now < statusUntil) {
                return status;
            }
            return status.equals(KinesisBackend.DELETING) ? null
                    : status.equals(KinesisBackend.CREATING) || status.equals(KinesisBackend.UPDATING)
                    ? KinesisBackend.ACTIVE : status;
        }

        Channel with(String newStatus, long until, ObjectNode newS3, ObjectNode newTables, ObjectNode newLogging) {
            return new Channel(account, region, name, id, createdMillis, newStatus, until, roleArn, streams, newS3,
                    newTables, encryption, newLogging);
        }
    }

    private final KinesisBackend kinesis;
    private final Map<String, Channel> byKey = new ConcurrentHashMap<>();
    private volatile dev.tributary.firehose.DeliveryEngine engine;

    public Channels(KinesisBackend kinesis) {
        this.kinesis = kinesis;
    }

    /**
     * Lets channels with an S3 destination deliver: their stream's records go through the Firehose
     * delivery engine into the same local file sinks (a bucket is {@code <data-dir>/s3/<bucket>/}),
     * from LATEST at creation, the records' data concatenated as Firehose writes it, flushed after
     * {@code DataFreshnessInSeconds}. S3 Tables destinations are kept but deliver nothing.
     */
    public void attachDelivery(dev.tributary.firehose.DeliveryEngine deliveryEngine) {
        this.engine = deliveryEngine;
    }

    private static String bufferStream(Channel c) {
        return "channel/" + c.account() + "/" + c.region() + "/" + c.name();
    }

    private static String bucketOf(ObjectNode s3) {
        String arn = s3.path("StorageConfiguration").path("BucketARN").asText();
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private dev.tributary.firehose.DeliverySpec spec(Channel c, long version) {
        String compression = c.s3().path("StorageConfiguration").path("CompressionType").asText("NONE");
        dev.tributary.firehose.s3.Compression format = compression.equals("GZIP")
                ? dev.tributary.firehose.s3.Compression.GZIP : dev.tributary.firehose.s3.Compression.UNCOMPRESSED;
        String prefix = c.s3().path("StorageConfiguration").path("OutputKeyTemplate").asText(null);
        return new dev.tributary.firehose.DeliverySpec(c.name(), version, bucketOf(c.s3()), prefix, null,
                5L * 1024 * 1024, java.time.Duration.ofSeconds(c.s3().path("DataFreshnessInSeconds").asLong(300)),
                format, null, java.time.ZoneOffset.UTC);
    }

    private void startDelivery(Channel c, boolean created) {
        dev.tributary.firehose.DeliveryEngine e = engine;
        if (e == null || c.s3() == null || c.streams().isEmpty()) {
            return;
        }
        StreamRef source = StreamRef.ofArn(c.streams().get(0).streamARN());
        e.sink().createBucket(bucketOf(c.s3()));
        if (created) {
            e.create(bufferStream(c), Map.of(), source.storeKey());
        }
        e.deliver(bufferStream(c), spec(c, created ? 1 : 2), source.storeKey());
    }

    private static String key(String account, String region, String name) {
        return account + "/" + region + "/" + name;
    }

    public synchronized Channel create(String account, String region, String name, String roleArn,
                                       List<ChannelStream> streams, ObjectNode s3, ObjectNode s3Tables,
                                       JsonNode encryption, ObjectNode logging) {
        long now = kinesis.nowMillis();
        Channel existing = byKey.get(key(account, region, name));
        if (existing != null && existing.statusAt(now) != null) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE, "Channel " + name + " under account " + account
                    + " already exists.");
        }
        if ((s3 == null) == (s3Tables == null)) {
            throw KinesisBackend.invalidArgument(
                    "Exactly one of S3DestinationConfiguration and S3TablesDestinationConfiguration must be provided.");
        }
        List<ChannelStream> described = new ArrayList<>();
        for (ChannelStream stream : streams) {
            String arn = stream.streamARN();
            StreamRef ref = StreamRef.ofArn(arn);
            StreamInfo info = ref == null ? null : kinesis.find(ref).orElse(null);
            if (info == null) {
                throw new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Stream " + (ref == null ? arn : ref.name())
                        + " under account " + (ref == null ? account : ref.account()) + " not found.");
            }
            if (!"ON_DEMAND".equals(KinesisBackend.streamMode(info))) {
                throw KinesisBackend.invalidArgument("Channels are only supported for data streams with the "
                        + "on-demand capacity mode. Stream " + ref.name() + " is PROVISIONED.");
            }
            described.add(new ChannelStream(arn, info.createdAt(), stream.recordConfiguration()));
        }
        long delay = kinesis.config().createStreamDelay().toMillis();
        Channel c = new Channel(account, region, name, newId(), now, delay > 0 ? KinesisBackend.CREATING
                : KinesisBackend.ACTIVE, now + delay, roleArn, List.copyOf(described), withDefaults(s3),
                withDefaults(s3Tables), encryption, logging);
        byKey.put(key(account, region, name), c);
        startDelivery(c, true);
        return c;
    }

    /** Fills what AWS's description form always has: DataFreshnessInSeconds (300) and the dead-letter queue. */
    private static ObjectNode withDefaults(ObjectNode destination) {
        if (destination == null) {
            return null;
        }
        ObjectNode d = destination.deepCopy();
        if (!d.has("DataFreshnessInSeconds")) {
            d.put("DataFreshnessInSeconds", 300);
        }
        if (!d.has("DeadLetterQueueS3Configuration") && d.has("StorageConfiguration")) {
            ObjectNode dlq = d.putObject("DeadLetterQueueS3Configuration");
            dlq.set("BucketARN", d.get("StorageConfiguration").get("BucketARN"));
            dlq.set("ExpectedBucketOwner", d.get("StorageConfiguration").get("ExpectedBucketOwner"));
        }
        return d;
    }

    /** The channel an ARN names, or ResourceNotFoundException. */
    public Channel get(String arn) {
        Channel c = byArn(arn);
        if (c == null || c.statusAt(kinesis.nowMillis()) == null) {
            throw new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Channel " + arn + " not found.");
        }
        return c;
    }

    private Channel byArn(String arn) {
        for (Channel c : byKey.values()) {
            if (c.arn().equals(arn)) {
                return c;
            }
        }
        return null;
    }

    public synchronized Channel update(String arn, Integer s3Freshness, Integer tablesFreshness, ObjectNode logging) {
        Channel c = get(arn);
        long now = kinesis.nowMillis();
        if (!KinesisBackend.ACTIVE.equals(c.statusAt(now))) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE, "Channel " + c.name() + " under account " + c.account()
                    + " not ACTIVE, instead in state " + c.statusAt(now));
        }
        ObjectNode s3 = c.s3() == null ? null : c.s3().deepCopy();
        ObjectNode tables = c.s3Tables() == null ? null : c.s3Tables().deepCopy();
        if (s3Freshness != null && s3 != null) {
            s3.put("DataFreshnessInSeconds", s3Freshness);
        }
        if (tablesFreshness != null && tables != null) {
            tables.put("DataFreshnessInSeconds", tablesFreshness);
        }
        long delay = kinesis.config().updateStreamDelay().toMillis();
        Channel next = c.with(delay > 0 ? KinesisBackend.UPDATING : KinesisBackend.ACTIVE, now + delay, s3, tables,
                logging != null ? logging : c.logging());
        byKey.put(key(c.account(), c.region(), c.name()), next);
        startDelivery(next, false);
        return next;
    }

    public synchronized void delete(String arn) {
        Channel c = get(arn);
        dev.tributary.firehose.DeliveryEngine e = engine;
        if (e != null && c.s3() != null) {
            e.delete(bufferStream(c));
        }
        long now = kinesis.nowMillis();
        long delay = kinesis.config().deleteStreamDelay().toMillis();
        if (delay <= 0) {
            byKey.remove(key(c.account(), c.region(), c.name()));
        } else {
            byKey.put(key(c.account(), c.region(), c.name()), c.with(KinesisBackend.DELETING, now + delay, c.s3(),
                    c.s3Tables(), c.logging()));
        }
    }

    /** The live channels of an account and region, by name. */
    public List<Channel> list(String account, String region) {
        long now = kinesis.nowMillis();
        TreeMap<String, Channel> sorted = new TreeMap<>();
        for (Channel c : byKey.values()) {
            if (c.account().equals(account) && c.region().equals(region) && c.statusAt(now) != null) {
                sorted.put(c.name(), c);
            }
        }
        return new ArrayList<>(sorted.values());
    }

    /** How many live channels read the stream (DescribeStreamSummary's ChannelCount). */
    public int countFor(StreamRef ref) {
        int n = 0;
        for (Channel c : list(ref.account(), ref.region())) {
            for (ChannelStream s : c.streams()) {
                if (ref.arn().equals(s.streamARN())) {
                    n++;
                }
            }
        }
        return n;
    }

    public static Instant created(Channel c) {
        return Instant.ofEpochMilli(c.createdMillis());
    }

    private static String newId() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }
}
