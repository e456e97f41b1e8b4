package dev.tributary.emulator.kinesis.fanout;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.ChildShard;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Record;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.AwsMappers;
import dev.tributary.emulator.protocol.EventSink;
import dev.tributary.emulator.protocol.EventStreamCodec;
import dev.tributary.emulator.protocol.StreamingOutput;
import dev.tributary.emulator.protocol.WireFormat;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SubscribeToShard subscription: an {@code initial-response} event first (the AWS SDKs wait for
 * it), then {@code SubscribeToShardEvent}s with the shard's records as they are appended, an empty
 * event after 5 s of quiet, and at the end of a closed shard a last event carrying
 * {@code ChildShards} (without a continuation). It ends after 5 minutes, when taken over by a newer
 * subscription of the same consumer and shard (with a {@code ResourceInUseException} event), or
 * when the client goes away.
 *
 * <p>Thread-safe: one pump runs at a time (guarded by {@code pumping}); the ticker only sends
 * heartbeats and ends the subscription; the sink orders every write.
 */
public final class Subscription implements StreamingOutput {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    /** Per event: at most this many records and about this many bytes (a shard reads 2 MiB/s). */
    static final int MAX_RECORDS = 10_000;
    static final long MAX_BYTES = 2L * 1024 * 1024;

    /** The event AWS sends, in the request's wire format. */
    public record SubscribeToShardEvent(List<Record> records, String continuationSequenceNumber,
                                        Long millisBehindLatest, List<ChildShard> childShards) {
    }

    private final FanOut fanOut;
    private final KinesisBackend kinesis;
    private final AwsMappers mappers;
    private final WireFormat format;
    private final StreamRef stream;
    private final String storeKey;
    private final int shardIndex;
    private final long shardCreatedMillis;
    private final String key;
    private final long startedMillis;
    private final AtomicBoolean pumping = new AtomicBoolean();
    private volatile boolean pumpAgain;
    private volatile boolean ended;
    private volatile long offset;
    private volatile long lastEventMillis;
    private volatile EventSink sink;
    /**
     * With --throughput-limits: the 2 MiB/s each consumer gets per shard (AWS's enhanced fan-out
     * limit), a token bucket of one second's worth on the virtual clock. Touched by the pump only.
     */
    private double budgetBytes = MAX_BYTES;
    private long budgetAt;
    /** The pump stopped on an empty budget; the ticker restarts it once the budget refills. */
    private volatile boolean waitingForBudget;

    public Subscription(FanOut fanOut, KinesisBackend kinesis, AwsMappers mappers, WireFormat format, StreamRef stream,
                        String storeKey, String consumerArn, int shardIndex, long shardCreatedMillis, long offset) {
        this.fanOut = fanOut;
        this.kinesis = kinesis;
        this.mappers = mappers;
        this.format = format;
        this.stream = stream;
        this.storeKey = storeKey;
        this.shardIndex = shardIndex;
        this.shardCreatedMillis = shardCreatedMillis;
        this.key = consumerArn + "#" + shardIndex;
        this.offset = offset;
        this.startedMillis = fanOut.clock().millis();
        this.lastEventMillis = startedMillis;
        this.budgetAt = startedMillis;
    }

    String key() {
        return key;
    }

    long startedMillis() {
        return startedMillis;
    }

    boolean isLive() {
        return !ended;
    }

    @Override
    public void start(EventSink eventSink) {
        this.sink = eventSink;
        eventSink.onClose(() -> {
            ended = true;
            fanOut.unregister(this);
        });
        eventSink.send(EventStreamCodec.event("initial-response", contentType(), encode(Map.of())));
        pump();
    }

    private void pump() {
        if (ended) {
            return;
        }
        try {
            fanOut.pumps().execute(this::runPump);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            end();
        }
    }

    private void runPump() {
        if (!pumping.compareAndSet(false, true)) {
            pumpAgain = true;
            return;
        }
        try {
            do {
                pumpAgain = false;
                pumpOnce();
            } while (pumpAgain && !ended);
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            pumping.set(false);
        }
        if (pumpAgain && !ended) {
            pump();
        }
    }

    /** Sends what is there to send, then waits for the next append (or ends at a closed shard's end). */
    private void pumpOnce() {
        if (ended) {
            return;
        }
        ShardLog log;
        try {
            log = kinesis.store().log(storeKey, shardIndex);
        } catch (StreamNotFoundException e) {
            sendException("ResourceNotFoundException", "Stream " + stream.name() + " under account "
                    + stream.account() + " not found.");
            return;
        }
        long from = Math.max(offset, log.startOffset());
        long maxBytes = MAX_BYTES;
        if (kinesis.throttling().enabled() && from < log.endOffset()) {
            long now = fanOut.clock().millis();
            if (now > budgetAt) {
                budgetBytes = Math.min(MAX_BYTES, budgetBytes + (now - budgetAt) * (MAX_BYTES / 1000.0));
                budgetAt = now;
            }
            if (budgetBytes < 1) {
                waitingForBudget = true; // AWS delays the next event rather than failing the subscription
                fanOut.budgetWait();
                return;
            }
            maxBytes = (long) budgetBytes;
        }
        List<StoredRecord> stored;
        try {
            stored = from < log.endOffset() ? log.read(from, MAX_RECORDS, maxBytes) : List.of();
        } catch (OffsetOutOfRangeException e) {
            pumpAgain = true;
            return;
        }
        if (!stored.isEmpty()) {
            offset = stored.get(stored.size() - 1).offset() + 1;
            long end = log.endOffset();
            long behind = offset >= end ? 0
                    : Math.max(0, fanOut.clock().millis() - stored.get(stored.size() - 1).timestampMillis());
            List<ChildShard> children = null;
            boolean atClosedEnd = log.isClosed() && offset >= end;
            if (atClosedEnd) {
                children = children();
            }
            sendEvent(records(stored), atClosedEnd ? null : continuation(), behind, children);
            long dataBytes = 0;
            for (StoredRecord r : stored) {
                dataBytes += r.value().length;
            }
            if (kinesis.throttling().enabled()) {
                long charged = 0;
                for (StoredRecord r : stored) {
                    charged += r.size();
                }
                budgetBytes -= charged;
            }
            kinesis.metrics().recordsOut(stream.name(), stored.size(), dataBytes);
            if (atClosedEnd) {
                end();
            } else {
                pumpAgain = true;
            }
            return;
        }
        offset = from;
        if (log.isClosed() && from >= log.endOffset()) {
            sendEvent(List.of(), null, 0L, children());
            end();
            return;
        }
        log.awaitAppend(from).thenRun(this::pump);
    }

    /** Called by the ticker: a heartbeat after 5 s of quiet, the end after 5 minutes. */
    void tick(long now) {
        if (ended) {
            return;
        }
        if (now - startedMillis >= FanOut.LIFETIME_MILLIS) {
            end();
            return;
        }
        if (waitingForBudget && now > budgetAt) {
            waitingForBudget = false;
            pump();
        }
        if (now - lastEventMillis >= FanOut.HEARTBEAT_MILLIS) {
            sendEvent(List.of(), continuation(), 0L, null);
        }
    }

    /** A newer subscription of the same consumer and shard took over. */
    void takenOver() {
        sendException("ResourceInUseException", "Another active subscription exists for this consumer and shard. "
                + "It was replaced by a newer SubscribeToShard call.");
    }

    void fail(Exception e) {
        LOG.warn("subscription failed stream={} shardId={}", stream.name(), ShardIds.format(shardIndex), e);
        sendException("InternalFailure", "Internal Service Failure");
    }

    /** Ends the subscription normally: the response completes. */
    void end() {
        ended = true;
        fanOut.unregister(this);
        EventSink s = sink;
        if (s != null) {
            s.close();
        }
    }

    private void sendException(String type, String message) {
        EventSink s = sink;
        if (s != null) {
            s.send(EventStreamCodec.exception(type, contentType(), encode(Map.of("message", message))));
        }
        end();
    }

    private void sendEvent(List<Record> records, String continuation, Long behind, List<ChildShard> children) {
        EventSink s = sink;
        if (s == null || ended && children == null) {
            return;
        }
        lastEventMillis = fanOut.clock().millis();
        s.send(EventStreamCodec.event("SubscribeToShardEvent", contentType(),
                encode(new SubscribeToShardEvent(records, continuation, behind, children))));
    }

    /**
     * The number to resume from with AFTER_SEQUENCE_NUMBER: the last record delivered, or just
     * before the current position (the shard's starting number at offset 0).
     */
    private String continuation() {
        long o = offset;
        return o == 0 ? SequenceNumbers.start(shardCreatedMillis, shardIndex)
                : SequenceNumbers.ofRecord(shardCreatedMillis, shardIndex, o - 1);
    }

    private List<ChildShard> children() {
        return kinesis.find(stream).map(info -> kinesis.children(info, shardIndex)).orElse(List.of());
    }

    private List<Record> records(List<StoredRecord> stored) {
        List<Record> out = new ArrayList<>(stored.size());
        for (StoredRecord r : stored) {
            out.add(new Record(SequenceNumbers.ofRecord(shardCreatedMillis, shardIndex, r.offset()),
                    KinesisBackend.instant(r.timestampMillis()), r.value(),
                    new String(r.key(), StandardCharsets.UTF_8),
                    (r.flags() & KinesisBackend.FLAG_KMS) != 0 ? "KMS" : null));
        }
        return out;
    }

    private String contentType() {
        return AwsJsonDispatcher.contentType(format);
    }

    private byte[] encode(Object value) {
        try {
            return mappers.mapper(format).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
