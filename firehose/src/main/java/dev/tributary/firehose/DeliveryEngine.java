package dev.tributary.firehose;

import dev.tributary.firehose.processing.ErrorRecords;
import dev.tributary.firehose.processing.LambdaProcessor;
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
    /**
     * Active partitions (buffers of distinct partition keys) a delivery stream may have at once:
     * AWS's default quota. Records for a further partition go to the error prefix
     * ({@code activePartitionExceeded}) until buffers are written.
     */
    public static final int MAX_ACTIVE_PARTITIONS = 500;
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
        deliver(bufferStream, spec, sourceStream, null);
    }

    /**
     * As {@link #deliver(String, DeliverySpec, String)}, with {@code sourceValue} turning each source
     * record into the bytes to deliver (null: skip the record); null means the stored value as is.
     * A front end whose source stream frames its records (Kafka headers) unwraps them here.
     */
    public synchronized void deliver(String bufferStream, DeliverySpec spec, String sourceStream,
                                     java.util.function.Function<StoredRecord, byte[]> sourceValue) {
        Lane lane = lanes.get(bufferStream);
        if (lane != null) {
            advance(lane, true);
            lane.spec = spec;
            lane.sourceStream = sourceStream;
            lane.sourceValue = sourceValue;
            return;
        }
        StreamInfo info = store.stream(bufferStream).orElseThrow(() ->
                new IllegalArgumentException("no buffer log " + bufferStream));
        long delivered = Long.parseLong(info.attributes().getOrDefault(DELIVERED, "0"));
        var log = store.log(bufferStream, 0);
        long from = Math.max(log.startOffset(), Math.min(delivered, log.endOffset()));
        lane = new Lane(bufferStream, spec, sourceStream, log.cursor(from), from);
        lane.sourceValue = sourceValue;
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
        return lane == null ? 0 : lane.pending.size() + (lane.inflight == null ? 0 : lane.inflight.entries.size())
                + lane.all().stream().filter(b -> !b.backup).mapToInt(b -> b.entries.size()).sum();
    }

    /** Bytes (after processing) read from the buffer log but not yet written in an object. */
    public synchronized long bufferedBytes(String bufferStream) {
        Lane lane = lanes.get(bufferStream);
        return lane == null ? 0 : lane.all().stream().filter(b -> !b.backup).mapToLong(b -> b.bytes).sum();
    }

    private int advance(Lane lane, boolean force) {
        pumpSource(lane);
        int objects = 0;
        if (lane.inflight != null && (force || clock.millis() >= lane.inflight.nextAttemptMillis)) {
            objects += attemptHttp(lane);
        }
        DeliverySpec spec = lane.spec;
        Processing processing = spec.processing();
        LambdaProcessor lambda = processing.lambda();
        while (true) {
            List<StoredRecord> batch = lane.cursor.poll(POLL_RECORDS, POLL_BYTES);
            if (batch.isEmpty()) {
                break;
            }
            for (StoredRecord r : batch) {
                if (spec.backup() != null) {
                    lane.backup.add(r.offset(), r.timestampMillis(), r.value());
                    if (lane.backup.bytes >= spec.backup().bufferBytes()) {
                        objects += write(lane, lane.backup);
                    }
                }
                for (byte[] record : processing.split(r.value())) {
                    if (lambda != null) {
                        lane.pending.add(new Entry(r.offset(), r.timestampMillis(), record));
                        lane.pendingBytes += record.length;
                    } else {
                        objects += route(lane, r.offset(), r.timestampMillis(), record, Map.of());
                    }
                }
                lane.readUpTo = r.offset() + 1;
                if (lambda != null && lane.pendingBytes >= lambda.bufferBytes()) {
                    objects += invokeLambda(lane, lambda);
                }
            }
        }
        if (lambda != null && !lane.pending.isEmpty()) {
            long age = clock.millis() - lane.pending.get(0).timestampMillis();
            if (force || age >= lambda.bufferInterval().toMillis()) {
                objects += invokeLambda(lane, lambda);
            }
        }
        for (Buffer buffer : lane.all()) {
            if (!buffer.entries.isEmpty()) {
                long age = clock.millis() - buffer.entries.get(0).timestampMillis();
                if (force || age >= lane.target(buffer).interval().toMillis()) {
                    objects += write(lane, buffer);
                }
            }
        }
        return objects;
    }

    /**
     * Puts one processed record into its buffer (by partition keys, or the error buffer when they
     * cannot be extracted), writing the buffer when it is full. Returns the objects written.
     */
    private int route(Lane lane, long offset, long arrivalMillis, byte[] record, Map<String, String> lambdaKeys) {
        DeliverySpec spec = lane.spec;
        Processing processing = spec.processing();
        Buffer buffer;
        byte[] data;
        if (processing.partitioned()) {
            try {
                Map<String, String> keys = partitionKeys(processing, spec.prefix(), record, lambdaKeys);
                if (!lane.buffers.containsKey(keys) && lane.buffers.size() >= MAX_ACTIVE_PARTITIONS) {
                    buffer = lane.partitionLimit;
                    data = ErrorRecords.line(arrivalMillis, ErrorRecords.ACTIVE_PARTITIONS_LIMIT,
                            "The number of active partitions reached the limit of " + MAX_ACTIVE_PARTITIONS + ".",
                            clock.millis(), record).getBytes(StandardCharsets.UTF_8);
                } else {
                    buffer = lane.buffers.computeIfAbsent(keys, k -> new Buffer(k, null));
                    data = processing.finish(record);
                }
            } catch (RuntimeException e) {
                buffer = lane.errors;
                data = ErrorRecords.line(arrivalMillis, ErrorRecords.METADATA_EXTRACTION_FAILED,
                        String.valueOf(e.getMessage()), clock.millis(), record).getBytes(StandardCharsets.UTF_8);
            }
        } else {
            buffer = lane.buffers.computeIfAbsent(Map.of(), k -> new Buffer(null, null));
            data = processing.finish(record);
        }
        buffer.add(offset, arrivalMillis, data);
        return buffer.bytes >= spec.bufferBytes() ? write(lane, buffer) : 0;
    }

    /**
     * Sends the records waiting for the Lambda processor in one batch (retried as the processor
     * says) and routes what comes back: {@code Ok} records on to their buffers, dropped ones
     * nowhere, failed ones to the error buffer as {@code processing-failed} lines with the
     * function's ARN. Record ids are {@code <buffer-log offset>.<index of the sub-record>}.
     */
    private int invokeLambda(Lane lane, LambdaProcessor lambda) {
        List<Entry> batch = lane.pending;
        lane.pending = new ArrayList<>();
        lane.pendingBytes = 0;
        List<LambdaProcessor.Input> inputs = new ArrayList<>(batch.size());
        long previous = -1;
        int sub = 0;
        for (Entry e : batch) {
            sub = e.offset() == previous ? sub + 1 : 0;
            previous = e.offset();
            inputs.add(new LambdaProcessor.Input(e.offset() + "." + sub, e.timestampMillis(), e.data()));
        }
        List<LambdaProcessor.Outcome> outcomes = lambda.process(inputs);
        int objects = 0;
        for (int i = 0; i < batch.size(); i++) {
            Entry e = batch.get(i);
            LambdaProcessor.Outcome outcome = outcomes.get(i);
            if (outcome instanceof LambdaProcessor.Ok ok) {
                objects += route(lane, e.offset(), e.timestampMillis(), ok.data(), ok.partitionKeys());
            } else if (outcome instanceof LambdaProcessor.Failed f) {
                lane.errors.add(e.offset(), e.timestampMillis(), ErrorRecords.line(f.attemptsMade(),
                        e.timestampMillis(), f.errorCode(), f.errorMessage(), clock.millis(), e.data(),
                        lambda.functionArn()).getBytes(StandardCharsets.UTF_8));
                if (lane.errors.bytes >= lane.spec.bufferBytes()) {
                    objects += write(lane, lane.errors);
                }
            }
            // Dropped: on purpose, delivered nowhere.
        }
        return objects;
    }

    /**
     * A record's partition keys, restricted to those the prefix names (so keys the prefix does not
     * use do not split buffers): query keys by name, the Lambda's under
     * {@link ObjectKeys#LAMBDA_KEY}. Throws when extraction fails or a named key has no value.
     */
    private static Map<String, String> partitionKeys(Processing processing, String prefix, byte[] record,
                                                     Map<String, String> lambdaKeys) {
        Set<String> names = ObjectKeys.partitionKeysIn(prefix);
        Map<String, String> keys = new TreeMap<>();
        if (!names.isEmpty()) {
            Map<String, String> extracted = processing.partitionKeys().apply(record);
            for (String name : names) {
                String value = extracted == null ? null : extracted.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("The partition key " + name + " has no value in the record.");
                }
                keys.put(name, value);
            }
        }
        for (String name : ObjectKeys.lambdaPartitionKeysIn(prefix)) {
            String value = lambdaKeys.get(name);
            if (value == null) {
                throw new IllegalArgumentException("The Lambda function gave no partition key " + name + ".");
            }
            keys.put(ObjectKeys.LAMBDA_KEY + name, value);
        }
        return Map.copyOf(keys);
    }

    /**
     * Delivers one buffer: as one S3 object, or for an HTTP endpoint as one request (unless one is
     * still in flight, when the buffer waits). Records what is delivered. Returns the objects
     * written and requests that succeeded.
     */
    private int write(Lane lane, Buffer buffer) {
        DeliverySpec spec = lane.target(buffer);
        if (buffer.errorType == null && !buffer.backup && spec.http() != null) {
            if (lane.inflight != null) {
                return 0;
            }
            lane.inflight = new Attempt(spec, buffer.entries, UUID.randomUUID().toString(), clock.millis());
            buffer.entries = new ArrayList<>();
            buffer.bytes = 0;
            lane.buffers.values().removeIf(b -> b.entries.isEmpty());
            return attemptHttp(lane);
        }
        writeObject(spec, buffer.errorType, buffer.keys, buffer.entries);
        buffer.entries = new ArrayList<>();
        buffer.bytes = 0;
        if (buffer.errorType == null && !buffer.backup) {
            lane.buffers.values().removeIf(b -> b.entries.isEmpty());
        }
        recordDelivered(lane);
        return 1;
    }

    /**
     * Writes {@code records} as one object of {@code spec}: under the error prefix when
     * {@code errorType} is set; converted by the spec's record format otherwise, its failed
     * records in a {@code format-conversion-failed} object of their own.
     */
    private void writeObject(DeliverySpec spec, String errorType, Map<String, String> keys, List<Entry> records) {
        if (errorType == null && spec.format() != null) {
            List<byte[]> data = new ArrayList<>(records.size());
            for (Entry r : records) {
                data.add(r.data());
            }
            RecordFormat.Converted converted = spec.format().convert(data);
            if (!converted.failures().isEmpty()) {
                List<Entry> failed = new ArrayList<>();
                for (RecordFormat.Failure f : converted.failures()) {
                    Entry r = records.get(f.index());
                    failed.add(new Entry(r.offset(), r.timestampMillis(), ErrorRecords.formatLine(r.timestampMillis(),
                            f.errorCode(), f.errorMessage(), clock.millis(), r.data(), Long.toString(r.offset()),
                            spec.format().dataCatalogTableJson()).getBytes(StandardCharsets.UTF_8)));
                }
                writeObject(spec, ErrorRecords.FORMAT_CONVERSION_FAILED, null, failed);
            }
            if (converted.object() != null) {
                putObject(spec, null, keys, records, converted.object(), false);
            }
            return;
        }
        long size = 0;
        for (Entry r : records) {
            size += r.data().length;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size));
        for (Entry r : records) {
            data.writeBytes(r.data());
        }
        putObject(spec, errorType, keys, records, data.toByteArray(), true);
    }

    /** Puts one object's bytes ({@code compress}ed with the spec's compression) under its key. */
    private void putObject(DeliverySpec spec, String errorType, Map<String, String> keys, List<Entry> records,
                           byte[] bytes, boolean compress) {
        Instant oldest = Instant.ofEpochMilli(records.get(0).timestampMillis());
        String prefix = errorType != null
                ? ObjectKeys.evaluateErrorPrefix(spec.errorPrefix(), spec.prefix(), errorType, oldest,
                spec.zone(), random)
                : ObjectKeys.evaluatePrefix(spec.prefix(), oldest, spec.zone(), random, keys);
        String extension = errorType != null && spec.format() != null && spec.fileExtension() == null
                ? spec.compression().extension() : spec.extension();
        String key = prefix + ObjectKeys.objectName(spec.streamName(), spec.version(), oldest, spec.zone(),
                UUID.randomUUID(), extension);
        try {
            sink.write(spec.bucket(), key, compress ? spec.compression().compress(bytes) : bytes);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot write s3://" + spec.bucket() + "/" + key + ": " + e.getMessage(), e);
        }
        LOG.info("object delivered stream={} bucket={} key={} records={} bytes={}", spec.streamName(), spec.bucket(),
                key, records.size(), bytes.length);
    }

    /**
     * Makes one attempt of the request in flight. On success (and with AllData, after writing the
     * batch to the S3 prefix too) it is done. On failure it is retried after the backoff, unless
     * that would start beyond the retry duration or the failure is not retryable: then its
     * records go to the error prefix as {@code http-endpoint-failed} lines.
     */
    private int attemptHttp(Lane lane) {
        Attempt a = lane.inflight;
        HttpTarget http = a.spec.http();
        a.attempts++;
        List<byte[]> data = new ArrayList<>(a.entries.size());
        for (Entry e : a.entries) {
            data.add(e.data());
        }
        HttpTarget.Result result;
        try {
            result = http.sender().send(a.requestId, clock.millis(), data);
        } catch (RuntimeException e) {
            result = HttpTarget.Result.failed(true, "HttpEndpoint.ConnectionFailed", String.valueOf(e.getMessage()));
        }
        long now = clock.millis();
        int objects = 0;
        if (result.ok()) {
            LOG.info("http endpoint delivered stream={} url={} records={} attempts={}", a.spec.streamName(), http.url(),
                    a.entries.size(), a.attempts);
            objects++;
            if (http.allData()) {
                writeObject(a.spec, null, null, a.entries);
                objects++;
            }
        } else {
            long next = now + HttpTarget.backoffMillis(a.attempts);
            if (result.retryable() && next <= a.firstAttemptMillis + http.retryDuration().toMillis()) {
                a.nextAttemptMillis = next;
                LOG.info("http endpoint failed, retrying stream={} url={} attempt={} error={}", a.spec.streamName(),
                        http.url(), a.attempts, result.errorCode());
                return 0;
            }
            List<Entry> failed = new ArrayList<>(a.entries.size());
            for (Entry e : a.entries) {
                failed.add(new Entry(e.offset(), e.timestampMillis(), ErrorRecords.httpLine(a.attempts,
                        e.timestampMillis(), result.errorCode(), result.errorMessage(), now, e.data(),
                        a.requestId + "." + failed.size()).getBytes(StandardCharsets.UTF_8)));
            }
            writeObject(a.spec, ErrorRecords.HTTP_ENDPOINT_FAILED, null, failed);
            objects++;
        }
        lane.inflight = null;
        recordDelivered(lane);
        return objects;
    }

    /** Records the delivered offset: the oldest offset still waiting anywhere, else all that was read. */
    private void recordDelivered(Lane lane) {
        long next = lane.readUpTo;
        if (!lane.pending.isEmpty()) {
            next = Math.min(next, lane.pending.get(0).offset());
        }
        if (lane.inflight != null) {
            next = Math.min(next, lane.inflight.entries.get(0).offset());
        }
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
                    byte[] value = lane.sourceValue == null ? r.value() : lane.sourceValue.apply(r);
                    if (value != null) {
                        copy.add(new AppendRecord(r.timestampMillis(), new byte[0], value, 0));
                    }
                }
                if (!copy.isEmpty()) {
                    store.log(lane.name, 0).append(copy);
                }
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

    /** A batch being delivered to an HTTP endpoint, with its retry state. Guarded by the engine's lock. */
    private static final class Attempt {
        final DeliverySpec spec;
        final List<Entry> entries;
        /** The same across retries, as AWS's {@code X-Amz-Firehose-Request-Id}. */
        final String requestId;
        final long firstAttemptMillis;
        long nextAttemptMillis;
        int attempts;

        Attempt(DeliverySpec spec, List<Entry> entries, String requestId, long firstAttemptMillis) {
            this.spec = spec;
            this.entries = entries;
            this.requestId = requestId;
            this.firstAttemptMillis = firstAttemptMillis;
            this.nextAttemptMillis = firstAttemptMillis;
        }
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
        /** Source record backup: written with the spec's {@link DeliverySpec#backup()}. */
        final boolean backup;
        List<Entry> entries = new ArrayList<>();
        long bytes;

        Buffer(Map<String, String> keys, String errorType) {
            this(keys, errorType, false);
        }

        Buffer(Map<String, String> keys, String errorType, boolean backup) {
            this.keys = keys;
            this.errorType = errorType;
            this.backup = backup;
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
        /** Null: deliver the source's stored values as they are. */
        java.util.function.Function<StoredRecord, byte[]> sourceValue;
        final ShardCursor cursor;
        final Map<Integer, ShardCursor> sourceCursors = new HashMap<>();
        final Map<Map<String, String>, Buffer> buffers = new LinkedHashMap<>();
        final Buffer errors = new Buffer(null, ErrorRecords.PROCESSING_FAILED);
        final Buffer partitionLimit = new Buffer(null, ErrorRecords.ACTIVE_PARTITION_EXCEEDED);
        final Buffer backup = new Buffer(null, null, true);
        /** The HTTP request being delivered, or null. */
        Attempt inflight;
        /** Records waiting for the Lambda processor, oldest first. */
        List<Entry> pending = new ArrayList<>();
        long pendingBytes;
        /** One past the last buffer-log record read (into buffers or the Lambda batch). */
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
            all.add(partitionLimit);
            all.add(backup);
            return all;
        }

        /** The spec a buffer is written with: the backup's for the backup buffer. */
        DeliverySpec target(Buffer buffer) {
            return buffer.backup && spec.backup() != null ? spec.backup() : spec;
        }

        void close() {
            cursor.close();
            sourceCursors.values().forEach(ShardCursor::close);
        }
    }
}
