package dev.tributary.firehose;

import dev.tributary.firehose.processing.ErrorRecords;
import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.FileSink;
import dev.tributary.firehose.s3.ObjectKeys;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreException;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamSpec;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Firehose delivery engine: buffers each delivery stream's records and writes them as S3
 * objects to a {@link FileSink} when the buffer reaches its size, when its oldest record reaches
 * the buffering interval (on the injected clock), or when asked to ({@link #flush}).
 *
 * <p><b>Durability.</b> Each delivery stream owns a store stream of one shard, its <em>buffer
 * log</em>. An accepted record is appended there before PutRecord answers, so it survives a
 * restart. The engine reads the log with a {@link ShardCursor}; after an object is written it
 * records the offset one past the object's last record in the stream's attributes under
 * {@value #DELIVERED}. After a restart the engine resumes from that offset: records buffered but
 * not yet delivered are delivered then. A crash between writing an object and recording the
 * offset delivers those records again: at-least-once, as AWS promises.
 *
 * <p><b>Kinesis sources.</b> For a delivery stream reading a Kinesis stream, the engine copies
 * the source's records into the buffer log (keeping their arrival times) and records each source
 * shard's position under {@value #SOURCE_POSITION}{@code <shard index>}. It starts at LATEST (the
 * end of every open shard when the delivery stream is created), and follows resharding: a closed
 * shard read to its end is marked done, and a shard created later is read from its start once
 * its parents are done.
 *
 * <p><b>Processing and partitioning.</b> Records are processed ({@link Processing}: KPL and
 * multi-record de-aggregation, partition keys, an appended delimiter) as they are read from the
 * buffer log into buffers, so the size hint counts processed bytes. With dynamic partitioning each
 * set of partition-key values has its own buffer, flushed on its own size and age; records whose
 * keys cannot be extracted go to an error buffer written under the error prefix
 * ({@code processing-failed}). The delivered offset is then the oldest offset still buffered
 * anywhere, so a restart re-reads (and may deliver twice) records of other partitions: still
 * at-least-once.
 *
 * <p>Thread-safe: {@link #put} only appends to the store (which serializes appends); everything
 * else is serialized on this object. Call {@link #tick} periodically (the emulator does every
 * 100 ms); tests call it after moving the clock.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

    /** Attribute: the buffer-log offset up to which records are delivered. */
    public static final String DELIVERED = "firehose.delivered";
    /** Attribute prefix: a Kinesis source shard's next offset, or {@value #DONE}. */
    public static final String SOURCE_POSITION = "firehose.source.";
    static final String DONE = "done";
    /** How long undelivered DirectPut records are kept, as AWS keeps them: 24 hours. */
    public static final Duration BUFFER_RETENTION = Duration.ofHours(24);
    private static final int POLL_RECORDS = 1000;
    private static final long POLL_BYTES = 4L * 1024 * 1024;

    private final ShardStore store;
    private final Clock clock;
    private final FileSink sink;
    private final RandomGenerator random = new SecureRandom();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();

    public DeliveryEngine(ShardStore store, Clock clock, FileSink sink) {
        this.store = store;
        this.clock = clock;
        this.sink = sink;
    }

    public FileSink sink() {
        return sink;
    }

    /**
     * Creates the buffer log of a new delivery stream with the caller's own {@code attributes}
     * (the front end keeps its description there). With a {@code sourceStream} (a store stream),
     * records the source's current end as the starting position (LATEST).
     */
    public synchronized StreamInfo create(String bufferStream, Map<String, String> attributes, String sourceStream) {
        Map<String, String> attrs = new HashMap<>(attributes);
        attrs.put(DELIVERED, "0");
        if (sourceStream != null) {
            store.stream(sourceStream).ifPresent(src -> {
                for (ShardInfo s : src.shards()) {
                    attrs.put(SOURCE_POSITION + s.index(), s.isOpen()
                            ? Long.toString(store.log(sourceStream, s.index()).endOffset()) : DONE);
                }
            });
        }
        return store.createStream(new StreamSpec(bufferStream, 1, BUFFER_RETENTION, attrs));
    }

    /**
     * Starts delivering a buffer log's records with {@code spec}, or switches an active one to a
     * new spec: what is buffered under the old spec is written first (AWS delivers the buffer on a
     * configuration change). Call it after {@link #create}, after a restart, and on every update.
     */
    public synchronized void deliver(String bufferStream, DeliverySpec spec, String sourceStream) {
        Lane lane = lanes.get(bufferStream);
        if (lane != null) {
            advance(lane, true);
            lane.spec = spec;
            lane.sourceStream = sourceStream;
            return;
        }
        StreamInfo info = store.stream(bufferStream).orElseThrow(() ->
                new IllegalArgumentException("no buffer log " + bufferStream));
        long delivered = Long.parseLong(info.attributes().getOrDefault(DELIVERED, "0"));
        var log = store.log(bufferStream, 0);
        long from = Math.max(log.startOffset(), Math.min(delivered, log.endOffset()));
        lane = new Lane(bufferStream, spec, sourceStream, log.cursor(from), from);
        lanes.put(bufferStream, lane);
        LOG.info("delivery started stream={} bucket={} fromOffset={}", spec.streamName(), spec.bucket(), from);
    }

    /** Stops delivering and deletes the buffer log; records not yet delivered are dropped. */
    public synchronized void delete(String bufferStream) {
        Lane lane = lanes.remove(bufferStream);
        if (lane != null) {
            lane.close();
        }
        try {
            store.deleteStream(bufferStream);
        } catch (StoreException e) {
            LOG.debug("buffer log already gone stream={}", bufferStream);
        }
    }

    /**
     * Accepts records: appends them to the buffer log, durable (per the store's fsync policy) on
     * return. Their arrival time is now on the clock.
     */
    public AppendResult put(String bufferStream, List<byte[]> records) {
        long now = clock.millis();
        List<AppendRecord> batch = new ArrayList<>(records.size());
        for (byte[] r : records) {
            batch.add(new AppendRecord(now, new byte[0], r, 0));
        }
        return store.log(bufferStream, 0).append(batch);
    }

    /**
     * Moves data along: copies new source records into buffer logs, reads new records into the
     * buffers, and writes every buffer that is full or whose oldest record is as old as the
     * interval. Returns the number of objects written.
     */
    public synchronized int tick() {
        int objects = 0;
        for (Lane lane : List.copyOf(lanes.values())) {
            try {
                objects += advance(lane, false);
            } catch (RuntimeException e) {
                LOG.warn("delivery failed, retrying on the next tick stream={} error={}", lane.spec.streamName(),
                        e.toString());
            }
        }
        return objects;
    }

    /**
     * Writes what is buffered now, whatever the buffering hints: of one delivery stream (by buffer
     * log name), or of all when {@code bufferStream} is null. Returns the number of objects written.
     */
    public synchronized int flush(String bufferStream) {
        int objects = 0;
        for (Lane lane : List.copyOf(lanes.values())) {
            if (bufferStream == null || lane.name.equals(bufferStream)) {
                objects += advance(lane, true);
            }
        }
        return objects;
    }

    /** Records (after processing) read from the buffer log but not yet written in an object. */
    public synchronized int buffered(String bufferStream) {
        Lane lane = lanes.get(bufferStream);
        return lane == null ? 0 : lane.all().stream().mapToInt(b -> b.entries.size()).sum();
    }

    /** Bytes (after processing) read from the buffer log but not yet written in an object. */
    public synchronized long bufferedBytes(String bufferStream) {
        Lane lane = lanes.get(bufferStream);
        return lane == null ? 0 : lane.all().stream().mapToLong(b -> b.bytes).sum();
    }

    private int advance(Lane lane, boolean force) {
        pumpSource(lane);
        int objects = 0;
        DeliverySpec spec = lane.spec;
        Processing processing = spec.processing();
        Set<String> keyNames = processing.partitioned() ? ObjectKeys.partitionKeysIn(spec.prefix()) : Set.of();
        while (true) {
            List<StoredRecord> batch = lane.cursor.poll(POLL_RECORDS, POLL_BYTES);
            if (batch.isEmpty()) {
                break;
            }
            for (StoredRecord r : batch) {
                for (byte[] record : processing.split(r.value())) {
                    Buffer buffer;
                    byte[] data;
                    if (processing.partitioned()) {
                        try {
                            Map<String, String> keys = partitionKeys(processing, keyNames, record);
                            buffer = lane.buffers.computeIfAbsent(keys, k -> new Buffer(k, null));
                            data = processing.finish(record);
                        } catch (RuntimeException e) {
                            buffer = lane.errors;
                            data = ErrorRecords.line(r.timestampMillis(), ErrorRecords.METADATA_EXTRACTION_FAILED,
                                    String.valueOf(e.getMessage()), clock.millis(), record)
                                    .getBytes(StandardCharsets.UTF_8);
                        }
                    } else {
                        buffer = lane.buffers.computeIfAbsent(Map.of(), k -> new Buffer(null, null));
                        data = processing.finish(record);
                    }
                    buffer.add(r.offset(), r.timestampMillis(), data);
                    if (buffer.bytes >= spec.bufferBytes()) {
                        write(lane, buffer);
                        objects++;
                    }
                }
                lane.readUpTo = r.offset() + 1;
            }
        }
        for (Buffer buffer : lane.all()) {
            if (!buffer.entries.isEmpty()) {
                long age = clock.millis() - buffer.entries.get(0).timestampMillis();
                if (force || age >= spec.interval().toMillis()) {
                    write(lane, buffer);
                    objects++;
                }
            }
        }
        return objects;
    }

    /**
     * A record's partition keys, restricted to those the prefix names (so keys the prefix does not
     * use do not split buffers). Throws when extraction fails or a named key has no value.
     */
    private static Map<String, String> partitionKeys(Processing processing, Set<String> names, byte[] record) {
        Map<String, String> extracted = processing.partitionKeys().apply(record);
        Map<String, String> keys = new TreeMap<>();
        for (String name : names) {
            String value = extracted == null ? null : extracted.get(name);
            if (value == null) {
                throw new IllegalArgumentException("The partition key " + name + " has no value in the record.");
            }
            keys.put(name, value);
        }
        return Map.copyOf(keys);
    }

    /** Writes one buffer as one object and records what is delivered. */
    private void write(Lane lane, Buffer buffer) {
        DeliverySpec spec = lane.spec;
        List<Entry> records = buffer.entries;
        ByteArrayOutputStream data = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, buffer.bytes));
        for (Entry r : records) {
            data.writeBytes(r.data());
        }
        Instant oldest = Instant.ofEpochMilli(records.get(0).timestampMillis());
        String prefix = buffer.errorType != null
                ? ObjectKeys.evaluateErrorPrefix(spec.errorPrefix(), spec.prefix(), buffer.errorType, oldest,
                spec.zone(), random)
                : ObjectKeys.evaluatePrefix(spec.prefix(), oldest, spec.zone(), random, buffer.keys);
        String key = prefix + ObjectKeys.objectName(spec.streamName(), spec.version(), oldest, spec.zone(),
                UUID.randomUUID(), spec.extension());
        try {
            sink.write(spec.bucket(), key, spec.compression().compress(data.toByteArray()));
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot write s3://" + spec.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
        LOG.info("object delivered stream={} bucket={} key={} records={} bytes={}", spec.streamName(), spec.bucket(),
                key, records.size(), buffer.bytes);
        buffer.entries = new ArrayList<>();
        buffer.bytes = 0;
        if (buffer.errorType == null) {
            lane.buffers.values().removeIf(b -> b.entries.isEmpty());
        }
        long next = lane.readUpTo;
        for (Buffer b : lane.all()) {
            if (!b.entries.isEmpty()) {
                next = Math.min(next, b.entries.get(0).offset());
            }
        }
        long delivered = next;
        store.updateStream(lane.name, attrs -> {
            Map<String, String> m = new HashMap<>(attrs);
            m.put(DELIVERED, Long.toString(delivered));
            return m;
        }, null);
    }

    /** Copies new records of the Kinesis source, shard by shard, into the buffer log. */
    private void pumpSource(Lane lane) {
        if (lane.sourceStream == null) {
            return;
        }
        Optional<StreamInfo> source = store.stream(lane.sourceStream);
        if (source.isEmpty()) {
            // Deleted: drop its cursors (a stream re-created under the name is a new stream).
            lane.sourceCursors.values().forEach(ShardCursor::close);
            lane.sourceCursors.clear();
            return;
        }
        Map<String, String> positions = store.stream(lane.name).map(StreamInfo::attributes).orElse(Map.of());
        Map<String, String> changes = new HashMap<>();
        for (ShardInfo shard : source.get().shards()) {
            String key = SOURCE_POSITION + shard.index();
            String pos = positions.get(key);
            if (DONE.equals(pos)) {
                continue;
            }
            if (pos == null && !parentsDone(shard, positions, changes)) {
                continue;
            }
            ShardCursor cursor = lane.sourceCursors.get(shard.index());
            if (cursor == null) {
                cursor = store.log(lane.sourceStream, shard.index()).cursor(pos == null ? 0 : Long.parseLong(pos));
                lane.sourceCursors.put(shard.index(), cursor);
            }
            while (true) {
                List<StoredRecord> batch = cursor.poll(POLL_RECORDS, POLL_BYTES);
                if (batch.isEmpty()) {
                    break;
                }
                List<AppendRecord> copy = new ArrayList<>(batch.size());
                for (StoredRecord r : batch) {
                    copy.add(new AppendRecord(r.timestampMillis(), new byte[0], r.value(), 0));
                }
                store.log(lane.name, 0).append(copy);
                changes.put(key, Long.toString(cursor.position()));
            }
            if (cursor.isAtClosedEnd()) {
                changes.put(key, DONE);
                cursor.close();
                lane.sourceCursors.remove(shard.index());
            } else if (pos == null && !changes.containsKey(key)) {
                changes.put(key, Long.toString(cursor.position()));
            }
        }
        if (!changes.isEmpty()) {
            store.updateStream(lane.name, attrs -> {
                Map<String, String> m = new HashMap<>(attrs);
                m.putAll(changes);
                return m;
            }, null);
        }
    }

    private static boolean parentsDone(ShardInfo shard, Map<String, String> positions, Map<String, String> changes) {
        boolean done = true;
        if (shard.parent().isPresent()) {
            String k = SOURCE_POSITION + shard.parent().getAsInt();
            done &= DONE.equals(changes.getOrDefault(k, positions.get(k)));
        }
        if (shard.adjacentParent().isPresent()) {
            String k = SOURCE_POSITION + shard.adjacentParent().getAsInt();
            done &= DONE.equals(changes.getOrDefault(k, positions.get(k)));
        }
        return done;
    }

    @Override
    public synchronized void close() {
        for (Lane lane : lanes.values()) {
            lane.close();
        }
        lanes.clear();
    }

    /** One record ready to be written: its buffer-log offset, arrival time and processed bytes. */
    private record Entry(long offset, long timestampMillis, byte[] data) {
    }

    /**
     * Records waiting for one object: of one partition-key set ({@code keys}, null when the
     * stream is not partitioned), or error records ({@code errorType} not null).
     */
    private static final class Buffer {
        final Map<String, String> keys;
        final String errorType;
        List<Entry> entries = new ArrayList<>();
        long bytes;

        Buffer(Map<String, String> keys, String errorType) {
            this.keys = keys;
            this.errorType = errorType;
        }

        void add(long offset, long timestampMillis, byte[] data) {
            entries.add(new Entry(offset, timestampMillis, data));
            bytes += data.length;
        }
    }

    /**
     * One delivery stream's reading state and buffers: one per partition-key set (a single one,
     * keyed by the empty map, without dynamic partitioning) and one for error records. Guarded by
     * the engine's lock.
     */
    private static final class Lane {
        final String name;
        DeliverySpec spec;
        String sourceStream;
        final ShardCursor cursor;
        final Map<Integer, ShardCursor> sourceCursors = new HashMap<>();
        final Map<Map<String, String>, Buffer> buffers = new LinkedHashMap<>();
        final Buffer errors = new Buffer(null, ErrorRecords.PROCESSING_FAILED);
        /** One past the last buffer-log record fully processed into buffers. */
        long readUpTo;

        Lane(String name, DeliverySpec spec, String sourceStream, ShardCursor cursor, long readUpTo) {
            this.name = name;
            this.spec = spec;
            this.sourceStream = sourceStream;
            this.cursor = cursor;
            this.readUpTo = readUpTo;
        }

        List<Buffer> all() {
            List<Buffer> all = new ArrayList<>(buffers.values());
            all.add(errors);
            return all;
        }

        void close() {
            cursor.close();
            sourceCursors.values().forEach(ShardCursor::close);
        }
    }
}
